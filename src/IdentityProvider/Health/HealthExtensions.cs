using IdentityProvider.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace IdentityProvider.Health;

internal static class HealthExtensions
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddDbContextCheck<ApplicationDbContext>("database", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        // Live: the process answers. Ready: it can also reach its database.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
