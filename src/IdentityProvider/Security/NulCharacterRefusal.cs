using IdentityProvider.Connect;
using Microsoft.AspNetCore.Diagnostics;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Security;

/// <summary>
/// Refuses a request whose path, query or form carries a NUL character, before anything reads it. No protocol
/// parameter or form field may hold one, and PostgreSQL refuses to compare text with one (22021), so a NUL that
/// reached a query answered 500. Protocol endpoints answer 400 <c>invalid_request</c>; pages answer the 400 page.
/// </summary>
internal static class NulCharacterRefusal
{
    private const string Description = "The request contains a NUL character, which no parameter may hold.";

    public static WebApplication UseNulCharacterRefusal(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // The error page re-executes the refused request; it must get through to render.
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is null && await CarriesNulAsync(context.Request))
            {
                if (ConnectPaths.IsProtocolPath(context.Request.Path))
                {
                    await ConnectResults.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, Errors.InvalidRequest, Description, context.RequestAborted);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                }

                return;
            }

            await next(context);
        });
        return app;
    }

    private static async Task<bool> CarriesNulAsync(HttpRequest request)
    {
        if (request.Path.Value?.Contains('\0') == true || request.Query.Any(HoldsNul))
        {
            return true;
        }

        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return false;
        }

        try
        {
            return (await request.ReadFormAsync(request.HttpContext.RequestAborted)).Any(HoldsNul);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            // Unreadable or oversized: the middleware and endpoints after this one answer that as before.
            return false;
        }
    }

    private static bool HoldsNul(KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> parameter) =>
        parameter.Key.Contains('\0') || parameter.Value.Any(value => value?.Contains('\0') == true);
}
