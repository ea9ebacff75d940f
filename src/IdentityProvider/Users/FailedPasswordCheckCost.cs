using IdentityProvider.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

/// <summary>
/// Makes every failed password check cost the same, so that its time tells nothing about the account: one Argon2id
/// verification and, while any account still holds a PBKDF2 hash from before Argon2id, one PBKDF2 verification as
/// well. What the check itself did not spend (an unknown address, a locked or unconfirmed account, one without a
/// password, or a hash of the other kind) is spent here, against dummy hashes of each kind.
/// </summary>
public sealed class FailedPasswordCheckCost(IPasswordHasher<ApplicationUser> hasher, IOptions<PasswordHasherOptions> pbkdf2Options, TimeProvider time)
{
    private static readonly TimeSpan CensusLifetime = TimeSpan.FromMinutes(5);
    private static readonly ApplicationUser DummyUser = new() { UserName = "dummy@invalid" };

    private readonly Lazy<string> _argon2idDummy = new(() => hasher.HashPassword(DummyUser, Guid.NewGuid().ToString()));
    private readonly Lazy<string> _pbkdf2Dummy = new(() => new PasswordHasher<ApplicationUser>(pbkdf2Options).HashPassword(DummyUser, Guid.NewGuid().ToString()));
    private volatile Pbkdf2Census? _census;

    /// <summary>Spends what a failed check of <paramref name="password"/> left unspent; <paramref name="checkedHash"/> is the hash it verified, if any.</summary>
    public async Task SpendTheRestAsync(string? checkedHash, string password, ApplicationDbContext db)
    {
        var checkedArgon2id = checkedHash is not null && Argon2idPasswordHasher.IsArgon2id(checkedHash);
        if (!checkedArgon2id)
        {
            hasher.VerifyHashedPassword(DummyUser, _argon2idDummy.Value, password);
        }

        if ((checkedHash is null || checkedArgon2id) && await Pbkdf2HashesRemainAsync(db))
        {
            hasher.VerifyHashedPassword(DummyUser, _pbkdf2Dummy.Value, password);
        }
    }

    /// <summary>Counted at most every five minutes: the answer only changes when the last such account signs in.</summary>
    private async Task<bool> Pbkdf2HashesRemainAsync(ApplicationDbContext db)
    {
        var now = time.GetUtcNow();
        if (_census is { } census && now - census.TakenAt < CensusLifetime)
        {
            return census.Remain;
        }

        var remain = await db.Users.AnyAsync(user => user.PasswordHash != null && !user.PasswordHash.StartsWith(Argon2idPasswordHasher.Prefix));
        _census = new Pbkdf2Census(remain, now);
        return remain;
    }

    private sealed record Pbkdf2Census(bool Remain, DateTimeOffset TakenAt);
}
