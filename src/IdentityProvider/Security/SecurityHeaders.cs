using IdentityProvider.Connect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Security;

/// <summary>
/// Headers for every HTML surface: no inline script, no framing (clickjacking on login and consent
/// pages), no MIME sniffing, no referrer leaking reset codes from URLs. The OAuth endpoints under
/// /connect answer JSON and are left to OpenIddict; an HTML page they do render applies these itself
/// (<see cref="FormPostResponse"/>).
/// </summary>
internal static class SecurityHeaders
{
    private const string PolicyBeforeFormAction =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'";

    private const string PolicyAfterFormAction = "; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ClientReturnAddress>();
        // Sent where HTTPS is required (HttpsRequirement); a year, as OWASP recommends, without subdomains the
        // provider does not own.
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        builder.Services.Configure<MvcOptions>(options => options.Filters.Add<ClientFormActionFilter>());
        return builder;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!ConnectPaths.IsProtocolPath(context.Request.Path))
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
        headers.ContentSecurityPolicy = PolicyBeforeFormAction + PolicyAfterFormAction;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>
    /// Chromium applies <c>form-action</c> to every redirect that follows a form submission, so a sign-in,
    /// consent or logout form whose answer is redirected on to a client (code in the query, or the
    /// post-logout address) must name that client's origin. Only that one origin, which the client
    /// registered, is added: an injected form still cannot post anywhere else.
    /// </summary>
    private sealed class ClientFormActionFilter(ClientReturnAddress returnAddress) : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var executed = await next();
            if (context.HandlerInstance is IFormContinuesToClient page && executed.Result is null or PageResult &&
                await returnAddress.FindAsync(context.HttpContext.Request.PathBase, page.Continuation) is { } address)
            {
                context.HttpContext.Response.Headers.ContentSecurityPolicy =
                    PolicyBeforeFormAction + " " + SourceExpression(address) + PolicyAfterFormAction;
            }
        }

        /// <summary>
        /// The CSP source for an address's origin. A host CSP cannot name (an IPv6 literal) and a native
        /// app's private-use scheme are given as a scheme source.
        /// </summary>
        private static string SourceExpression(Uri address) =>
            address.Scheme is "http" or "https" && address.HostNameType is not UriHostNameType.IPv6
                ? $"{address.Scheme}://{address.IdnHost}:{address.Port}"
                : address.Scheme + ":";
    }
}

/// <summary>A page whose form leads, through the provider's redirects, to a client's address.</summary>
internal interface IFormContinuesToClient
{
    /// <summary>The local URL the form's answer continues to (an authorization or end-session request), if any.</summary>
    string? Continuation { get; }
}
