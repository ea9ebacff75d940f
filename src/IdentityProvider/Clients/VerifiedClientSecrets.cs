using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace IdentityProvider.Clients;

/// <summary>
/// Client secrets that passed OpenIddict's PBKDF2 check, remembered for a while so that a client that
/// authenticates on every token request pays for the hash once rather than every time. An entry is keyed by
/// an HMAC of the presented secret and the stored hash under a key that never leaves this process: a new
/// secret has a new stored hash and is checked afresh, and failures are never remembered, so every guess
/// still costs a full hash.
/// </summary>
public sealed class VerifiedClientSecrets(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private const int Capacity = 10_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verifiedUntil = new();

    public bool Contains(string secret, string storedHash) =>
        _verifiedUntil.TryGetValue(KeyOf(secret, storedHash), out var until) && until > time.GetUtcNow();

    public void Add(string secret, string storedHash)
    {
        // Entries are small and few (one per client and secret); the bound only stops a pathological growth.
        if (_verifiedUntil.Count >= Capacity)
        {
            _verifiedUntil.Clear();
        }

        _verifiedUntil[KeyOf(secret, storedHash)] = time.GetUtcNow() + Lifetime;
    }

    // The stored hash is base64 and holds no NUL, so the separator keeps distinct pairs apart.
    private string KeyOf(string secret, string storedHash) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(secret + "\0" + storedHash)));
}
