using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// Rejects oversized or unreadable bodies on the OAuth endpoints with an OAuth error (413 or 400)
/// instead of letting the form reader fail deep inside the pipeline with a 500.
/// </summary>
internal static class ConnectRequestLimits
{
    public static WebApplication UseConnectRequestLimits(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<IdpOptions>>().Value.MaxRequestBodyBytes;
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(ConnectPaths.Prefix))
            {
                await next(context);
                return;
            }

            if (context.Request.ContentLength > limit)
            {
                await WriteTooLargeAsync(context, limit);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            {
                sizeFeature.MaxRequestBodySize = limit;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
            {
                await WriteTooLargeAsync(context, limit);
            }
            catch (InvalidDataException exception) when (!context.Response.HasStarted)
            {
                // The form reader refuses malformed bodies (e.g. NUL characters) by throwing.
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"The request body cannot be read: {exception.Message}");
            }
        });
        return app;
    }

    private static Task WriteTooLargeAsync(HttpContext context, int limit) =>
        WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limit} bytes.");

    private static Task WriteErrorAsync(HttpContext context, int status, string description) =>
        ConnectResults.WriteErrorAsync(context.Response, status, Errors.InvalidRequest, description, context.RequestAborted);
}
