using IdentityProvider.Keys;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Connect;

/// <summary>
/// Access tokens are signed with the asymmetric key published in JWKS, so that any API can verify them.
/// OpenIddict would sign them with the first signing key, and the symmetric key (kept for refresh tokens and
/// authorization codes, see <see cref="Keys.ServerKeysSetup"/>) sorts first.
/// </summary>
internal sealed class AsymmetricAccessTokens : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<AsymmetricAccessTokens>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType is TokenTypeIdentifiers.AccessToken)
        {
            context.SigningCredentials = context.Options.PublishedSigningCredentials();
        }

        return default;
    }
}
