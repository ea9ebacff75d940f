using System.Text;
using IdentityProvider.Connect;
using Microsoft.AspNetCore.Diagnostics;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Security;

/// <summary>
/// Refuses a request whose path, query, form or Basic credentials carry a NUL character, before anything reads it. No protocol
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
        if (request.Path.Value?.Contains('\0') == true || request.Query.Any(HoldsNul) || BasicCredentialsHoldNul(request))
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

    /// <summary>
    /// A client's Basic credentials are base64 of form-encoded values (RFC 6749 §2.3.1), so a NUL hides behind
    /// either encoding; headers themselves cannot carry one. Undecodable credentials are left to OpenIddict.
    /// </summary>
    private static bool BasicCredentialsHoldNul(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = authorization["Basic ".Length..].Trim();
        var decoded = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, decoded, out var length))
        {
            return false;
        }

        var credentials = Encoding.UTF8.GetString(decoded, 0, length);
        return credentials.Contains('\0') || Uri.UnescapeDataString(credentials).Contains('\0');
    }

    private static bool HoldsNul(KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> parameter) =>
        parameter.Key.Contains('\0') || parameter.Value.Any(value => value?.Contains('\0') == true);
}
