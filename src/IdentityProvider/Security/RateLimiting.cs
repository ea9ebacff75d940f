using System.Globalization;
using System.Threading.RateLimiting;
using IdentityProvider.Connect;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Security;

/// <summary>
/// ASP.NET Core's rate limiter in front of the account forms and the token endpoint, keyed by IP
/// and by the account a request names. Rejections answer 429 with Retry-After (not the 503 default).
/// </summary>
internal static class RateLimiting
{
    private const string AccountKey = "IdentityProvider.RateLimitedAccount";
    private static readonly string[] LimitedForms =
    [
        "/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register",
        "/Account/ForgotPassword", "/Account/ResendEmailConfirmation",
    ];

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var options = limits.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Kind(context) switch
                {
                    RequestKind.Form => Window("ip:" + ClientIp(context), options.FormsPerIp, options),
                    RequestKind.Token => Window("token-ip:" + ClientIp(context), options.TokenRequestsPerIp, options),
                    _ => RateLimitPartition.GetNoLimiter(""),
                }),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    context.Items[AccountKey] is string account
                        ? Window("account:" + account, options.PerAccount, options)
                        : RateLimitPartition.GetNoLimiter("")));
            limiter.OnRejected = RejectAsync;
        });
        return builder;
    }

    public static WebApplication UseRateLimits(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            return app;
        }

        // The limiter picks partitions synchronously, so the account a form names is read first
        // (the form is buffered once and reused by model binding and OpenIddict).
        app.Use(async (context, next) =>
        {
            if (Kind(context) != RequestKind.None && context.Request.HasFormContentType)
            {
                try
                {
                    var form = await context.Request.ReadFormAsync(context.RequestAborted);
                    var account = form["Input.Email"].FirstOrDefault() ?? form[Parameters.Username].FirstOrDefault();
                    if (!string.IsNullOrWhiteSpace(account) && account.Length <= 254)
                    {
                        context.Items[AccountKey] = account.Trim().ToUpperInvariant();
                    }
                }
                catch (InvalidDataException)
                {
                    // Malformed bodies are answered by the endpoint itself; they still count per IP.
                }
            }

            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    private enum RequestKind
    {
        None,
        Form,
        Token,
    }

    private static RequestKind Kind(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return RequestKind.None;
        }

        var path = context.Request.Path;
        if (path.StartsWithSegments(ConnectPaths.Token))
        {
            return RequestKind.Token;
        }

        return LimitedForms.Any(form => path.Equals(form, StringComparison.OrdinalIgnoreCase)) ? RequestKind.Form : RequestKind.None;
    }

    private static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> Window(string key, int permits, RateLimitOptions options) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = options.Window,
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var response = rejected.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (rejected.HttpContext.Request.Path.StartsWithSegments(ConnectPaths.Prefix))
        {
            await ConnectResults.WriteErrorAsync(response, response.StatusCode, Errors.TemporarilyUnavailable,
                "Too many requests; retry after the time given in Retry-After.", cancellationToken);
            return;
        }

        response.ContentType = "text/plain;charset=UTF-8";
        await response.WriteAsync("Too many attempts. Please wait a minute and try again.", cancellationToken);
    }
}
