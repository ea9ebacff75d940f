namespace IdentityProvider.Keys;

public sealed class KeyOptions
{
    public const string SectionName = "Keys";

    /// <summary>
    /// Signing certificates; all are published in JWKS and the one that expires last signs.
    /// Add the next certificate here before removing the previous one to rotate without downtime.
    /// </summary>
    public List<CertificateFile> Signing { get; init; } = [];

    /// <summary>Encryption certificates (refresh tokens and authorization codes are encrypted with them).</summary>
    public List<CertificateFile> Encryption { get; init; } = [];

    /// <summary>
    /// Certificates that protect the Data Protection key ring (kept in the database), which in turn protects
    /// stored signing keys, authenticator keys and cookies. The first encrypts new keys; all decrypt, so add
    /// the next certificate first and keep the previous one until the keys it encrypted have expired (90 days).
    /// </summary>
    public List<CertificateFile> KeyRingProtection { get; init; } = [];

    /// <summary>
    /// When no certificate is configured, generate keys once and keep them in the database.
    /// Defaults to true in Development only.
    /// </summary>
    public bool? StoreGeneratedKeys { get; set; }
}

public sealed class CertificateFile
{
    /// <summary>A PFX/PKCS#12 file, or a PEM certificate.</summary>
    public string Path { get; set; } = "";

    /// <summary>The PEM private key, when <see cref="Path"/> is a PEM certificate without its key.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PFX password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }
}
