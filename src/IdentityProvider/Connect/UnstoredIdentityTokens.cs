using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Connect;

/// <summary>
/// Identity tokens get no row in the token table. A client only reads an id_token, and the provider accepts one
/// back (as <c>id_token_hint</c>) on its signature, issuer and authorization alone, so the row was written on every
/// sign-in and refresh and never read: one INSERT less per grant that issues an id_token.
/// </summary>
internal sealed class UnstoredIdentityTokens : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<UnstoredIdentityTokens>()
            .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType is TokenTypeIdentifiers.IdentityToken)
        {
            context.CreateTokenEntry = false;
        }

        return default;
    }
}
