using System.Text;
using Geralt;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

/// <summary>
/// Stores passwords as Argon2id with the cost in <see cref="PasswordHashingOptions"/>, in the PHC string format libsodium
/// writes (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>), which other Argon2 libraries read as well. A hash with another
/// cost, or one Identity's PBKDF2 hasher made before, still verifies and is reported as needing a rehash, so that
/// <see cref="ApplicationUserManager"/> stores the password again at the next sign-in.
/// No more Argon2id hashes run at once than there are cores: each fills its memory for its whole run, and more of them
/// at once finish no sooner, so a burst of sign-ins (or an attack on the login) queues here instead of holding that
/// memory once per request. (The wait blocks its thread, as the hash it waits for would: Identity hashes synchronously.)
/// </summary>
public sealed class Argon2idPasswordHasher(IOptions<PasswordHashingOptions> options) : IPasswordHasher<ApplicationUser>, IDisposable
{
    public const string Prefix = "$argon2id$";

    /// <summary>Identity's hasher reads the format and iteration count from the hash itself.</summary>
    private readonly PasswordHasher<ApplicationUser> _pbkdf2 = new();
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount);

    public string HashPassword(ApplicationUser user, string password)
    {
        var hash = OnOneCore(() =>
        {
            var encoded = new char[Argon2id.HashSize];
            Argon2id.ComputeHash(encoded, Encoding.UTF8.GetBytes(password), options.Value.Iterations, MemoryBytes);
            return encoded;
        });
        return new string(hash.AsSpan().TrimEnd('\0'));
    }

    public static bool IsArgon2id(string hashedPassword) => hashedPassword.StartsWith(Prefix, StringComparison.Ordinal);

    public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
    {
        if (!IsArgon2id(hashedPassword))
        {
            return _pbkdf2.VerifyHashedPassword(user, hashedPassword, providedPassword) == PasswordVerificationResult.Failed
                ? PasswordVerificationResult.Failed
                : PasswordVerificationResult.SuccessRehashNeeded;
        }

        try
        {
            if (!OnOneCore(() => Argon2id.VerifyHash(hashedPassword, Encoding.UTF8.GetBytes(providedPassword))))
            {
                return PasswordVerificationResult.Failed;
            }

            return Argon2id.NeedsRehash(hashedPassword, options.Value.Iterations, MemoryBytes)
                ? PasswordVerificationResult.SuccessRehashNeeded
                : PasswordVerificationResult.Success;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            // Geralt refuses a string no Argon2id hash could be (its length, or characters outside ASCII): a damaged
            // row matches no password.
            return PasswordVerificationResult.Failed;
        }
    }

    private int MemoryBytes => options.Value.MemoryKiB * 1024;

    private T OnOneCore<T>(Func<T> hash)
    {
        _cores.Wait();
        try
        {
            return hash();
        }
        finally
        {
            _cores.Release();
        }
    }

    public void Dispose() => _cores.Dispose();
}
