using System.Security.Cryptography;
using IdentityProvider.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace IdentityProvider.Keys;

/// <summary>Generates, rotates and reads the keys the provider keeps in its own database.</summary>
public sealed class KeyRing(ApplicationDbContext db, IDataProtectionProvider dataProtection, TimeProvider time)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("IdentityProvider.Keys.StoredKey.v1");

    /// <summary>Keys in use, newest first; the newest of each use signs or encrypts.</summary>
    public async Task<List<StoredKey>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var keys = await db.StoredKeys.AsNoTracking().ToListAsync(cancellationToken);
        return [.. keys.Where(k => k.RetireAfter is null || k.RetireAfter > now).OrderByDescending(k => k.CreatedAt)];
    }

    /// <summary>Creates a key of each of <paramref name="uses"/> that has none yet.</summary>
    public async Task EnsureKeysAsync(IEnumerable<string> uses, CancellationToken cancellationToken = default)
    {
        var active = await ListActiveAsync(cancellationToken);
        foreach (var use in uses)
        {
            if (!active.Any(k => k.Use == use))
            {
                db.StoredKeys.Add(Generate(use));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Adds a new signing key, which signs from the next start; the previous ones stay published in
    /// JWKS for <paramref name="overlap"/> so tokens they signed keep verifying.
    /// </summary>
    public async Task<StoredKey> RotateSigningKeyAsync(TimeSpan overlap, CancellationToken cancellationToken = default)
    {
        var retireAfter = time.GetUtcNow() + overlap;
        var previous = await db.StoredKeys
            .Where(k => k.Use == StoredKey.SigningUse && k.RetireAfter == null)
            .ToListAsync(cancellationToken);
        previous.ForEach(k => k.RetireAfter = retireAfter);

        var key = Generate(StoredKey.SigningUse);
        db.StoredKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public RsaSecurityKey ToSecurityKey(StoredKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(_protector.Unprotect(key.ProtectedPrivateKey));
        return new RsaSecurityKey(rsa) { KeyId = key.Id };
    }

    private StoredKey Generate(string use)
    {
        using var rsa = RSA.Create(2048);
        return new StoredKey
        {
            Id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            Use = use,
            Algorithm = use == StoredKey.SigningUse ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.RsaOAEP,
            ProtectedPrivateKey = _protector.Protect(rsa.ExportPkcs8PrivateKeyPem()),
            CreatedAt = time.GetUtcNow(),
        };
    }
}
