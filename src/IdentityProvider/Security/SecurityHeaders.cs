using IdentityProvider.Connect;

namespace IdentityProvider.Security;

/// <summary>
/// Headers for every HTML surface: no inline script, no framing (clickjacking on login and consent
/// pages), no MIME sniffing, no referrer leaking reset codes from URLs. The OAuth endpoints under
/// /connect answer JSON and are left to OpenIddict; an HTML page they do render applies these itself.
/// </summary>
internal static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!ConnectExtensions.IsProtocolPath(context.Request.Path))
            {
                Apply(context.Response);
            }

            await next(context);
        });
        return app;
    }

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
