using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Connect;

/// <summary>
/// Answers a scope the client is not permitted to use with <c>invalid_scope</c> (RFC 6749 §5.2),
/// where OpenIddict's own permission check would answer <c>invalid_request</c>.
/// </summary>
internal sealed class ForbiddenScopeHandler(IOpenIddictApplicationManager applications)
    : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<ForbiddenScopeHandler>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopePermissions.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (string.IsNullOrEmpty(context.ClientId) || context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType())
        {
            return;
        }

        var application = await applications.FindByClientIdAsync(context.ClientId);
        if (application is null)
        {
            return;
        }

        foreach (var scope in context.Request.GetScopes())
        {
            if (scope is Scopes.OpenId or Scopes.OfflineAccess)
            {
                continue;
            }

            if (!await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope))
            {
                context.Reject(Errors.InvalidScope, $"The client is not allowed to request the '{scope}' scope.");
                return;
            }
        }
    }
}
