using IdentityProvider.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). OpenIddict has checked that
/// <c>post_logout_redirect_uri</c> is registered for the client.
/// </summary>
internal static class EndSessionEndpoint
{
    public static void MapEndSessionEndpoint(this WebApplication app) =>
        app.MapMethods(ConnectPaths.EndSession, [HttpMethods.Get, HttpMethods.Post], HandleAsync).ExcludeFromDescription();

    private static async Task<IResult> HandleAsync(HttpContext context, UserManager<ApplicationUser> users, ProviderSignOut signOut)
    {
        // A request OpenIddict rejected (e.g. a post_logout_redirect_uri not registered for the client)
        // still lets the user sign out, after asking, but never sends them to the unverified address.
        var request = context.GetOpenIddictServerRequest();
        if (context.GetOpenIddictServerResponse() is { Error: not null } || request is null)
        {
            return Results.Redirect("/Account/Logout");
        }

        // A hint that is not a valid id_token from this provider (forged, altered) discredits the whole
        // request: the user may still sign out, but is never sent back to the app.
        var hint = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal is
            { Identity.IsAuthenticated: true } valid ? valid : null;
        if (!string.IsNullOrEmpty(request.IdTokenHint) && hint is null)
        {
            return Results.Redirect("/Account/Logout");
        }

        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (session.Succeeded)
        {
            // Only an id_token the provider issued to this very user proves the app asks on the user's
            // behalf; anything less must not sign them out silently (a cross-site logout link).
            var subject = hint?.GetClaim(Claims.Subject);
            if (subject is null || subject != users.GetUserId(session.Principal!))
            {
                var parameters = context.Request.HasFormContentType ? [.. context.Request.Form] : context.Request.Query.ToList();
                return Results.Redirect("/Account/Logout" + QueryString.Create(parameters));
            }

            await signOut.SignOutAsync();
        }

        if (request.PostLogoutRedirectUri is null)
        {
            return Results.Redirect(Pages.Account.NoticeModel.Path(Pages.Account.NoticeKind.SignedOut));
        }

        // OpenIddict redirects to the (verified) post_logout_redirect_uri, with the state.
        return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
