using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Developers;

/// <summary>
/// Refuses authorization, token and end-session requests of a third-party app that waits for approval or was suspended, with
/// <c>unauthorized_client</c> and a description saying which.
/// </summary>
internal sealed class HeldAppRefusal(HeldApps held) :
    IOpenIddictServerHandler<ValidateAuthorizationRequestContext>, IOpenIddictServerHandler<ValidateTokenRequestContext>,
    IOpenIddictServerHandler<ValidateEndSessionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor AuthorizationDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<HeldAppRefusal>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateEndpointPermissions.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor TokenDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<HeldAppRefusal>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateEndpointPermissions.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>A held app's users may still sign out, but are not sent back to it (a post-logout URI nobody reviewed).</summary>
    public static OpenIddictServerHandlerDescriptor EndSessionDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateEndSessionRequestContext>()
            .UseSingletonHandler<HeldAppRefusal>()
            .SetOrder(OpenIddictServerHandlers.Session.ValidateEndpointPermissions.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context) =>
        await RefuseIfHeldAsync(context, context.ClientId);

    public async ValueTask HandleAsync(ValidateTokenRequestContext context) =>
        await RefuseIfHeldAsync(context, context.ClientId);

    public async ValueTask HandleAsync(ValidateEndSessionRequestContext context) =>
        await RefuseIfHeldAsync(context, context.ClientId ?? context.IdentityTokenHintPrincipal?.GetAudiences().FirstOrDefault());

    private async Task RefuseIfHeldAsync(BaseValidatingContext context, string? clientId)
    {
        if (string.IsNullOrEmpty(clientId) || await held.StateOfAsync(clientId, context.CancellationToken) is not { } state)
        {
            return;
        }

        context.Reject(Errors.UnauthorizedClient, state == ReviewState.Pending
            ? "This app is waiting for an administrator's approval."
            : "This app has been suspended by an administrator.");
    }
}
