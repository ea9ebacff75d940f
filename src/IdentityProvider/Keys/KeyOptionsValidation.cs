using Microsoft.Extensions.Options;

namespace IdentityProvider.Keys;

internal sealed class KeyOptionsValidation(IHostEnvironment environment) : IValidateOptions<KeyOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyOptions options)
    {
        var failures = new List<string>();
        var storeGenerated = options.StoreGeneratedKeys ?? environment.IsDevelopment();
        if (!storeGenerated && (options.Signing.Count == 0 || options.Encryption.Count == 0))
        {
            failures.Add(
                "No signing or encryption key is configured. Set Keys:Signing:0:Path and Keys:Encryption:0:Path " +
                "to certificate files (PFX or PEM), or set Keys:StoreGeneratedKeys=true to let the provider " +
                "generate its keys and keep them in the database (fine for small installs).");
        }

        // The provider's own symmetric keys are always stored, under the key ring; so are authenticator keys and
        // the keys behind cookies. Unencrypted, a copy of the database is enough to forge tokens and admin cookies.
        if (options.KeyRingProtection.Count == 0 && !environment.IsDevelopment())
        {
            failures.Add(
                "Keys:KeyRingProtection is not set. The Data Protection key ring in the database protects the stored token " +
                "keys, authenticator keys and sign-in cookies; without a certificate it is stored unencrypted, and a copy of " +
                "the database would be enough to forge tokens. Set Keys:KeyRingProtection:0:Path to a certificate with its " +
                "private key (PFX, or PEM with Keys:KeyRingProtection:0:KeyPath) kept outside the database, e.g. made with " +
                "'openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj /CN=idp-key-ring -keyout key-ring.key -out key-ring.crt'.");
        }

        Check(options.Signing, "Keys:Signing", failures);
        Check(options.Encryption, "Keys:Encryption", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static void Check(List<CertificateFile> files, string section, List<string> failures)
    {
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (string.IsNullOrWhiteSpace(file.Path) || !File.Exists(file.Path))
            {
                failures.Add($"{section}:{i}:Path: file '{file.Path}' does not exist.");
            }
            else if (file.KeyPath is not null && !File.Exists(file.KeyPath))
            {
                failures.Add($"{section}:{i}:KeyPath: file '{file.KeyPath}' does not exist.");
            }
            else
            {
                try
                {
                    using var certificate = CertificateLoader.Load(file);
                }
                catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or InvalidOperationException)
                {
                    failures.Add($"{section}:{i}: cannot load '{file.Path}': {exception.Message}");
                }
            }
        }
    }
}
