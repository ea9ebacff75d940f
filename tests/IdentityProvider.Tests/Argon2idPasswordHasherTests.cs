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
        new(Options.Create(new PasswordHashingOptions { MemoryKiB = memoryKiB, Iterations = iterations }), Options.Create(new PasswordHasherOptions()));

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

    [Theory]
    [InlineData(PasswordHasherCompatibilityMode.IdentityV3)]
    [InlineData(PasswordHasherCompatibilityMode.IdentityV2)]
    public void VerifyHashedPassword_OfIdentitysPbkdf2Hash_AcceptsThePasswordAndAsksForARehash(PasswordHasherCompatibilityMode mode)
    {
        var pbkdf2 = new PasswordHasher<ApplicationUser>(Options.Create(new PasswordHasherOptions { CompatibilityMode = mode, IterationCount = 1_000 }));
        var hash = pbkdf2.HashPassword(User, Password);

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

        foreach (var damaged in (string[])["$argon2id$", hash[..^10], otherDigest, hash + new string('A', 200), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"])
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
    [InlineData(4_096, 16)]
    public void Options_WeakerThanEveryOwaspSetting_AreRefusedNamingTheSection(int memoryKiB, int iterations)
    {
        var problems = Problems(new PasswordHashingOptions { MemoryKiB = memoryKiB, Iterations = iterations });

        Assert.Contains(problems, problem => problem.Contains("PasswordHashing", StringComparison.Ordinal) || problem.Contains("MemoryKiB", StringComparison.Ordinal));
    }

    private static List<string> Problems(PasswordHashingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(result => result.ErrorMessage ?? "")];
    }
}
