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

    /// <summary>
    /// Creates a key of each of <paramref name="uses"/> that has none yet. Instances that start at the same time on
    /// one database take turns (a PostgreSQL advisory lock; SQLite's write lock): otherwise each could create its own
    /// key and sign with one the others never load.
    /// </summary>
    public async Task EnsureKeysAsync(IEnumerable<string> uses, CancellationToken cancellationToken = default)
    {
        var missing = await MissingAsync(uses, cancellationToken);
        if (missing.Count == 0)
        {
            return;
        }

        // Made before the lock is taken: protecting a key may first write Data Protection's own key ring, and
        // SQLite lets one writer in at a time.
        var generated = missing.Select(Generate).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('IdentityProvider.Keys.KeyRing'))", cancellationToken);
        }

        var stillMissing = await MissingAsync(missing, cancellationToken);
        db.StoredKeys.AddRange(generated.Where(key => stillMissing.Contains(key.Use)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<List<string>> MissingAsync(IEnumerable<string> uses, CancellationToken cancellationToken)
    {
        var active = await ListActiveAsync(cancellationToken);
        return [.. uses.Where(use => !active.Any(key => key.Use == use))];
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

    public SecurityKey ToSecurityKey(StoredKey key)
    {
        var secret = _protector.Unprotect(key.ProtectedPrivateKey);
        if (StoredKey.IsInternal(key.Use))
        {
            return new SymmetricSecurityKey(Convert.FromBase64String(secret)) { KeyId = key.Id };
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(secret);
        return new RsaSecurityKey(rsa) { KeyId = key.Id };
    }

    private StoredKey Generate(string use)
    {
        var (algorithm, secret) = use switch
        {
            StoredKey.InternalSigningUse => (SecurityAlgorithms.HmacSha256, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
            StoredKey.InternalEncryptionUse => (SecurityAlgorithms.Aes256KW, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
            StoredKey.SigningUse => (SecurityAlgorithms.RsaSha256, NewRsaKeyPem()),
            _ => (SecurityAlgorithms.RsaOAEP, NewRsaKeyPem()),
        };
        return new StoredKey
        {
            Id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            Use = use,
            Algorithm = algorithm,
            ProtectedPrivateKey = _protector.Protect(secret),
            CreatedAt = time.GetUtcNow(),
        };
    }

    private static string NewRsaKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
