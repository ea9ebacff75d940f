using System.ComponentModel.DataAnnotations;
using System.Text;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Tests;

public sealed class Argon2idPasswordHasherTests
{
    private const string Password = "correct horse battery staple";
    private static readonly ApplicationUser User = new() { UserName = "alice@example.com" };

    private static Argon2idPasswordHasher Hasher(int memoryKiB = 19_456, int iterations = 2) =>
        new(Options.Create(new PasswordHashingOptions { MemoryKiB = memoryKiB, Iterations = iterations }));

    [Fact]
    public void HashPassword_WritesArgon2idWithOwaspCostAndAFreshSalt()
    {
        var first = Hasher().HashPassword(User, Password);
        var second = Hasher().HashPassword(User, Password);

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain('\0', first);
    }

    [Fact]
    public void VerifyHashedPassword_OfItsOwnHash_AcceptsOnlyThePassword()
    {
        var hasher = Hasher();
        var hash = hasher.HashPassword(User, Password);

        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(User, hash, Password));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(User, hash, Password + " "));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(User, hash, ""));
    }

    [Fact]
    public void VerifyHashedPassword_OfIdentitysPbkdf2Hash_AcceptsThePasswordAndAsksForARehash()
    {
        // Identity's default format and cost, which Identity itself would call current.
        var hash = new PasswordHasher<ApplicationUser>().HashPassword(User, Password);

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, Hasher().VerifyHashedPassword(User, hash, Password));
        Assert.Equal(PasswordVerificationResult.Failed, Hasher().VerifyHashedPassword(User, hash, "a wrong password"));
    }

    [Fact]
    public void VerifyHashedPassword_OfAnotherCost_AcceptsThePasswordAndAsksForARehash()
    {
        var stronger = Hasher(memoryKiB: 47_104, iterations: 1).HashPassword(User, Password);

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, Hasher().VerifyHashedPassword(User, stronger, Password));
        Assert.Equal(PasswordVerificationResult.Success, Hasher(memoryKiB: 47_104, iterations: 1).VerifyHashedPassword(User, stronger, Password));
        Assert.Equal(PasswordVerificationResult.Failed, Hasher().VerifyHashedPassword(User, stronger, "a wrong password"));
    }

    [Fact]
    public void VerifyHashedPassword_OfADamagedHash_Fails()
    {
        var hash = Hasher().HashPassword(User, Password);
        var otherDigest = hash[..^2] + (hash[^2] == 'A' ? "BA" : "AA");

        string[] damagedHashes =
        [
            "$argon2id$", hash[..^10], otherDigest, hash + new string('A', 200), hash.PadRight(128, 'A'), hash[..^1] + "é",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$",
        ];
        foreach (var damaged in damagedHashes)
        {
            Assert.Equal(PasswordVerificationResult.Failed, Hasher().VerifyHashedPassword(User, damaged, Password));
        }
    }

    [Fact]
    public void HashPassword_OfANonAsciiPassword_VerifiesTheSameText()
    {
        var hasher = Hasher();
        const string password = "pässwörd ünïcödé 🔑";
        var hash = hasher.HashPassword(User, password);

        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(User, hash, password));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(User, hash, password.Normalize(NormalizationForm.FormD)));
    }

    [Theory]
    [InlineData(47_104, 1)]
    [InlineData(19_456, 2)]
    [InlineData(12_288, 3)]
    [InlineData(9_216, 4)]
    [InlineData(7_168, 5)]
    [InlineData(65_536, 3)]
    public void Options_AtOrAboveAnOwaspSetting_AreValid(int memoryKiB, int iterations) =>
        Assert.Empty(Problems(new PasswordHashingOptions { MemoryKiB = memoryKiB, Iterations = iterations }));

    [Theory]
    [InlineData(19_456, 1)]
    [InlineData(47_103, 1)]
    [InlineData(12_288, 2)]
    [InlineData(7_168, 4)]
    public void Options_WeakerThanEveryOwaspSetting_AreRefusedNamingThem(int memoryKiB, int iterations)
    {
        var problem = Assert.Single(Problems(new PasswordHashingOptions { MemoryKiB = memoryKiB, Iterations = iterations }));

        Assert.StartsWith(
            $"PasswordHashing: MemoryKiB={memoryKiB} with Iterations={iterations} is weaker than every Argon2id setting OWASP recommends " +
            "(MemoryKiB=47104 with Iterations=1, MemoryKiB=19456 with Iterations=2,", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4_096, 16, "The field MemoryKiB must be between 7168 and 1048576.")]
    [InlineData(2_097_152, 2, "The field MemoryKiB must be between 7168 and 1048576.")]
    [InlineData(19_456, 0, "The field Iterations must be between 1 and 16.")]
    public void Options_OutsideTheirRange_AreRefusedNamingTheField(int memoryKiB, int iterations, string expected) =>
        Assert.Equal(expected, Assert.Single(Problems(new PasswordHashingOptions { MemoryKiB = memoryKiB, Iterations = iterations })));

    private static List<string> Problems(PasswordHashingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(result => result.ErrorMessage ?? "")];
    }
}
