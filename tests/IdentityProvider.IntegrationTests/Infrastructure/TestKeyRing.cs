using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// The certificate every test provider protects its Data Protection key ring with: outside Development the
/// provider refuses to start without one. One for the whole run, because the template database's key ring is
/// encrypted under it and every copy of that database is read with it.
/// </summary>
public static class TestKeyRing
{
    public const string Setting = "Keys:KeyRingProtection:0:Path";
    public const string EnvironmentVariable = "Keys__KeyRingProtection__0__Path";

    private static readonly Lazy<string> File = new(Write);

    public static string Path => File.Value;

    private static string Write()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=IdentityProvider test key ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"idp-test-key-ring-{Environment.ProcessId}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.File.Delete(path);
        return path;
    }
}
