using System.Buffers.Binary;
using System.Collections.Concurrent;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityProvider.IntegrationTests;

/// <summary>
/// Which hashes, at which cost, a failed password check pays for, as the hasher sees them: counted, not timed (tests run
/// on shared cores, where timings say little). Every failure must pay the same, whatever the account.
/// </summary>
public sealed class PasswordCheckCostTests : IAsyncLifetime
{
    private const string WrongPassword = "a wrong password";
    private readonly ShiftedClock _clock = new();

    private ProviderFactory Provider { get; set; } = null!;

    private RecordingPasswordHasher Hasher => (RecordingPasswordHasher)Provider.Services.GetRequiredService<IPasswordHasher<ApplicationUser>>();

    public async Task InitializeAsync()
    {
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), clock: _clock)
        {
            ConfigureServices = services => services.Replace(ServiceDescriptor.Singleton<IPasswordHasher<ApplicationUser>, RecordingPasswordHasher>()),
        };
        _ = Provider.Services;
    }

    public async Task DisposeAsync() => await Provider.DisposeAsync();

    [Fact]
    public async Task FailedChecks_CostOneArgon2idVerification_WhenEveryAccountHasAnArgon2idHash()
    {
        using var client = Provider.CreateTokenClient();

        var unknown = await VerifiedDuringAsync(() => client.PasswordAsync(UnknownEmail(), WrongPassword));
        var known = await VerifiedDuringAsync(() => client.PasswordAsync(ProviderFactory.UserEmail, WrongPassword));

        Assert.Equal(["argon2id m=19456,t=2,p=1"], unknown);
        Assert.Equal(unknown, known);
    }

    [Fact]
    public async Task FailedChecks_CostBothKindsOfHash_WhileAnAccountStillHasAPbkdf2Hash()
    {
        using var client = Provider.CreateTokenClient();
        var pbkdf2Account = await TestAccounts.CreateConfirmedAsync(Provider, "pbkdf2");
        await TestAccounts.StorePbkdf2HashAsync(Provider, pbkdf2Account);
        var lockedAccount = await TestAccounts.CreateConfirmedAsync(Provider, "locked");
        var invitedAccount = $"invited-{Guid.NewGuid():N}@example.com";
        using (var scope = Provider.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(lockedAccount))!, DateTimeOffset.UtcNow.AddHours(1));
            Assert.True((await users.CreateAsync(new ApplicationUser { UserName = invitedAccount, Email = invitedAccount, EmailConfirmed = true })).Succeeded);
        }

        // Past the census of PBKDF2 hashes the provider may have taken before one was stored.
        _clock.Offset = TimeSpan.FromMinutes(6);
        using var browser = new FormClient(Provider);
        var pbkdf2Cost = $"pbkdf2 x{Provider.Services.GetRequiredService<IOptions<PasswordHasherOptions>>().Value.IterationCount}";
        string[] both = ["argon2id m=19456,t=2,p=1", pbkdf2Cost];
        foreach (var email in (string[])[UnknownEmail(), ProviderFactory.UserEmail, pbkdf2Account, lockedAccount, invitedAccount, ProviderFactory.UnconfirmedEmail])
        {
            Assert.Equal(both, await VerifiedDuringAsync(() => client.PasswordAsync(email, WrongPassword)));
            Assert.Equal(both, await VerifiedDuringAsync(() => TestAccounts.SignInAsync(browser, email, WrongPassword)));
        }
    }

    private static string UnknownEmail() => $"nobody-{Guid.NewGuid():N}@example.com";

    private async Task<string[]> VerifiedDuringAsync<T>(Func<Task<T>> request)
    {
        Hasher.Verified.Clear();
        await request();
        return [.. Hasher.Verified.Order(StringComparer.Ordinal)];
    }

    /// <summary>The provider's hasher, noting the kind and cost of every hash it verifies.</summary>
    private sealed class RecordingPasswordHasher(IOptions<PasswordHashingOptions> options) : IPasswordHasher<ApplicationUser>, IDisposable
    {
        private readonly Argon2idPasswordHasher _hasher = new(options);

        public ConcurrentQueue<string> Verified { get; } = new();

        public string HashPassword(ApplicationUser user, string password) => _hasher.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Verified.Enqueue(Cost(hashedPassword));
            return _hasher.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }

        public void Dispose() => _hasher.Dispose();

        /// <summary>"argon2id m=…,t=…,p=…" from the PHC string; "pbkdf2 x…" from Identity's V3 header (format byte, PRF, iterations).</summary>
        private static string Cost(string hash) => Argon2idPasswordHasher.IsArgon2id(hash)
            ? "argon2id " + hash.Split('$')[3]
            : $"pbkdf2 x{BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(hash).AsSpan(5, 4))}";
    }
}
