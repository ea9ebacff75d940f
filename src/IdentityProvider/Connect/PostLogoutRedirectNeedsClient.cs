using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Connect;

/// <summary>
/// A <c>post_logout_redirect_uri</c> is honoured only for a named client: <c>client_id</c> or an <c>id_token_hint</c>
/// (RP-Initiated Logout 1.0 §2 recommends both). Without either, OpenIddict accepts an address any client registered,
/// so a link could borrow another app's address, and the provider could not tell whether the app it belongs to is
/// held for review (<c>Developers/HeldAppRefusal</c>). The user may still sign out; they are just not sent anywhere.
/// </summary>
internal sealed class PostLogoutRedirectNeedsClient : IOpenIddictServerHandler<ValidateEndSessionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateEndSessionRequestContext>()
            .UseSingletonHandler<PostLogoutRedirectNeedsClient>()
            .SetOrder(OpenIddictServerHandlers.Session.ValidatePostLogoutRedirectUriParameter.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateEndSessionRequestContext context)
    {
        if (!string.IsNullOrEmpty(context.Request.PostLogoutRedirectUri)
            && string.IsNullOrEmpty(context.Request.ClientId) && string.IsNullOrEmpty(context.Request.IdTokenHint))
        {
            context.Reject(Errors.InvalidRequest, "post_logout_redirect_uri needs the client_id or an id_token_hint of the app it belongs to.");
        }

        return default;
    }
}
