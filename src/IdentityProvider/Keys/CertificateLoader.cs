using System.Security.Cryptography.X509Certificates;

namespace IdentityProvider.Keys;

internal static class CertificateLoader
{
    public static X509Certificate2 Load(CertificateFile file)
    {
        var certificate = IsPem(file.Path)
            ? string.IsNullOrEmpty(file.Password)
                ? X509Certificate2.CreateFromPemFile(file.Path, file.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(file.Path, file.Password, file.KeyPath)
            : X509CertificateLoader.LoadPkcs12FromFile(file.Path, file.Password,
                X509KeyStorageFlags.EphemeralKeySet);

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException("the certificate has no private key.");
        }

        return certificate;
    }

    private static bool IsPem(string path) =>
        File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal);
}
