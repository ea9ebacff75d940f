using IdentityProvider.Connect;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Security;

/// <summary>
/// Where HTTPS is required (<c>Idp:RequireHttps</c>), a page asked for over plain HTTP gets a 400 that says
/// how to fix the setup, instead of a form whose Secure cookies the browser would drop. OpenIddict answers
/// for /connect and /.well-known itself; health probes often come over plain HTTP from inside the network.
/// Every HTTPS answer also carries HSTS for a year, so a browser never tries plain HTTP again (ASVS V3.4.1).
/// </summary>
internal static class HttpsRequirement
{
    private const string Explanation =
        "This identity provider serves its pages over HTTPS only; open this address with https://.\n" +
        "Behind a proxy that terminates TLS, set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true so the original scheme is seen.\n" +
        "For a local trial over plain HTTP, set Idp__RequireHttps=false.\n";

    public static WebApplication UseHttpsRequirement(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<IdpOptions>>().Value.HttpsRequired(app.Environment))
        {
            return app;
        }

        app.UseHsts();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (context.Request.IsHttps || ConnectPaths.IsProtocolPath(path) || path.StartsWithSegments("/health"))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(Explanation, context.RequestAborted);
        });
        return app;
    }
}
