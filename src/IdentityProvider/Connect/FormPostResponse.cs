using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using IdentityProvider.Security;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Connect;

/// <summary>
/// The page that carries an authorization response to the app with <c>response_mode=form_post</c>, in place of
/// OpenIddict's own: the same self-submitting form, sent with a Content-Security-Policy under which only its one
/// script runs (a nonce fresh for every page). No <c>form-action</c>: Chromium applies it to the redirects that
/// follow the POST too, which would break an app whose callback redirects to another origin, and the form's
/// target is written by the provider, every value encoded.
/// </summary>
internal sealed class FormPostResponse(HtmlEncoder encoder) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .AddFilter<OpenIddictServerAspNetCoreHandlerFilters.RequireHttpRequest>()
            .UseSingletonHandler<FormPostResponse>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.Authentication.ProcessFormPostResponse.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        if (string.IsNullOrEmpty(context.RedirectUri) || context.ResponseMode != ResponseModes.FormPost ||
            context.Transaction.GetHttpRequest()?.HttpContext.Response is not { } response)
        {
            return;
        }

        var nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        var page = new StringBuilder()
            .AppendLine("<!doctype html>")
            .AppendLine("<html><head><title>Returning to the app…</title></head><body>")
            .AppendLine(CultureInfo.InvariantCulture, $"<form name=\"form\" method=\"post\" action=\"{encoder.Encode(context.RedirectUri)}\">");
        foreach (var (name, value) in context.Response.GetParameters())
        {
            foreach (var text in ((ImmutableArray<string?>?)value).GetValueOrDefault(ImmutableArray<string?>.Empty))
            {
                if (!string.IsNullOrEmpty(text))
                {
                    page.AppendLine(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{encoder.Encode(name)}\" value=\"{encoder.Encode(text)}\" />");
                }
            }
        }

        page.AppendLine("<noscript><button type=\"submit\">Continue to the app</button></noscript>")
            .AppendLine("</form>")
            .AppendLine(CultureInfo.InvariantCulture, $"<script nonce=\"{nonce}\">document.form.submit();</script>")
            .AppendLine("</body></html>");

        SecurityHeaders.Apply(response);
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.CacheControl = "no-store";
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html;charset=UTF-8";
        await response.WriteAsync(page.ToString());
        context.HandleRequest();
    }

}
