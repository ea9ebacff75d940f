using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityProvider.Keys;

/// <summary>
/// Gives OpenIddict its signing and encryption keys: configured certificate files first, otherwise
/// the keys stored in the database. OpenIddict's development certificates are never used.
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
            options.EncryptionCredentials.Add(Encrypting(new X509SecurityKey(certificate)));
        }

        if (keys.Signing.Count > 0 && keys.Encryption.Count > 0)
        {
            return;
        }

        using var scope = scopes.CreateScope();
        var ring = scope.ServiceProvider.GetRequiredService<KeyRing>();
        var stored = ring.ListActiveAsync().GetAwaiter().GetResult();
        if (keys.Signing.Count == 0)
        {
            foreach (var key in stored.Where(k => k.Use == StoredKey.SigningUse))
            {
                options.SigningCredentials.Add(new SigningCredentials(ring.ToSecurityKey(key), key.Algorithm));
            }
        }

        if (keys.Encryption.Count == 0)
        {
            foreach (var key in stored.Where(k => k.Use == StoredKey.EncryptionUse))
            {
                options.EncryptionCredentials.Add(Encrypting(ring.ToSecurityKey(key)));
            }
        }
    }

    private static EncryptingCredentials Encrypting(SecurityKey key) =>
        new(key, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512);
}
