using IdentityProvider.Connect;
using Microsoft.AspNetCore.Diagnostics;

namespace IdentityProvider.Pages;

/// <summary>
/// Every error status a page answers without a body (403 for a missing role, 404, 400 for a failed antiforgery
/// check) gets the error page, keeping its status: a browser shows its own "this page isn't working" for an empty
/// 4xx. OpenIddict's paths keep their protocol answers.
/// </summary>
internal static class ErrorPages
{
    public const string Path = "/Error";

    public static WebApplication UseErrorPages(this WebApplication app)
    {
        // Not a UseWhen branch: a branch loses WebApplication's router, so the re-executed request would match nothing.
        app.UseStatusCodePagesWithReExecute(Path);
        app.Use((context, next) =>
        {
            if (ConnectPaths.IsProtocolPath(context.Request.Path) && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            return next(context);
        });
        return app;
    }
}
