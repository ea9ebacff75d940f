using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IdentityProvider.Observability;

/// <summary>
/// OpenTelemetry, the .NET standard: metrics of ASP.NET Core, Kestrel, HttpClient, the runtime, Npgsql and the
/// provider's own meter (<see cref="ProviderMetrics"/>); traces of requests, outgoing HTTP calls and database commands.
/// Prometheus scrapes <c>/metrics</c> on the management port (<see cref="ObservabilityOptions.MetricsPort"/>); with
/// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, metrics and traces are also pushed over OTLP.
/// </summary>
internal static class ObservabilityExtensions
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ObservabilityOptions>()
            .BindConfiguration(ObservabilityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ProviderMetrics>();
        builder.Services.AddOpenIddict().AddServer(options => options.AddEventHandler(TokenResponseMetricsHandler.Descriptor));

        var observability = builder.Configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("IdentityProvider"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ProviderMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (observability.MetricsPort is { } port)
                {
                    metrics.AddPrometheusHttpListener(listener => (listener.Host, listener.Port) = (observability.MetricsHost, port));
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        // Spans only where they go somewhere: recording them costs every request and every database command. Log
        // lines carry the request's trace id either way (ASP.NET Core starts the activity for its log scope).
        if (otlp)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }

        return builder;
    }
}
