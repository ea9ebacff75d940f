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
