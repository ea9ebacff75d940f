using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityProvider.Keys;

/// <summary>
/// Gives OpenIddict its signing and encryption keys: configured certificate files first, otherwise
/// the RSA keys stored in the database; and always the two stored symmetric keys. OpenIddict picks a
/// symmetric key first wherever one may serve, so refresh tokens and authorization codes, which only
/// the provider reads back, cost no RSA operation (HS256 and A256KW), while id_tokens are signed with the
/// asymmetric key and access tokens too (<see cref="Connect.AsymmetricAccessTokens"/>): those are what clients and
/// APIs verify from JWKS, where symmetric keys never appear. OpenIddict's development certificates are never used.
/// </summary>
internal sealed class ServerKeysSetup(IOptions<KeyOptions> keyOptions, IServiceScopeFactory scopes)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        var keys = keyOptions.Value;
        foreach (var certificate in keys.Signing.Select(CertificateLoader.Load))
        {
            options.SigningCredentials.Add(new SigningCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaSha256));
        }

        foreach (var certificate in keys.Encryption.Select(CertificateLoader.Load))
        {
            options.EncryptionCredentials.Add(Encrypting(new X509SecurityKey(certificate), SecurityAlgorithms.RsaOAEP));
        }

        using var scope = scopes.CreateScope();
        var ring = scope.ServiceProvider.GetRequiredService<KeyRing>();
        // Newest first, the symmetric keys ahead of the RSA ones. OpenIddict sorts the credentials (a sort that is
        // not stable for lists longer than 16) and ranks two raw RSA keys as equal; with the symmetric key, which it
        // ranks first, already in front, the RSA keys keep this order and the newest one signs after a rotation.
        // (Certificates, added above, it orders by their validity, a total order.)
        var stored = ring.ListActiveAsync().GetAwaiter().GetResult().OrderBy(key => StoredKey.IsInternal(key.Use) ? 0 : 1);
        foreach (var key in stored)
        {
            switch (key.Use)
            {
                case StoredKey.SigningUse when keys.Signing.Count == 0:
                case StoredKey.InternalSigningUse:
                    options.SigningCredentials.Add(new SigningCredentials(ring.ToSecurityKey(key), key.Algorithm));
                    break;
                case StoredKey.EncryptionUse when keys.Encryption.Count == 0:
                    options.EncryptionCredentials.Add(Encrypting(ring.ToSecurityKey(key), SecurityAlgorithms.RsaOAEP));
                    break;
                case StoredKey.InternalEncryptionUse:
                    options.EncryptionCredentials.Add(Encrypting(ring.ToSecurityKey(key), SecurityAlgorithms.Aes256KW));
                    break;
            }
        }
    }

    private static EncryptingCredentials Encrypting(SecurityKey key, string keyWrapAlgorithm) =>
        new(key, keyWrapAlgorithm, SecurityAlgorithms.Aes256CbcHmacSha512);
}
