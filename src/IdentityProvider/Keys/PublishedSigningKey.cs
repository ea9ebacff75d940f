using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityProvider.Keys;

internal static class PublishedSigningKey
{
    /// <summary>
    /// What signs the tokens others verify (access tokens, logout tokens): the first asymmetric signing key, which
    /// JWKS publishes and OpenIddict also signs id_tokens with. The symmetric key ahead of it is the provider's own.
    /// </summary>
    public static SigningCredentials PublishedSigningCredentials(this OpenIddictServerOptions options) =>
        options.SigningCredentials.First(credentials => credentials.Key is AsymmetricSecurityKey);
}
