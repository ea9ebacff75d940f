using System.Net;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityProvider.IntegrationTests;

/// <summary>Accounts whose passwords were stored before Argon2id: Identity's PBKDF2 hashes, written straight into the table.</summary>
public sealed class PasswordHashUpgradeTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Argon2idWithOwaspCost = "$argon2id$v=19$m=19456,t=2,p=1$";

    [Fact]
    public async Task NewAccount_StoresItsPasswordAsArgon2idWithOwaspCost()
    {
        var email = await TestAccounts.CreateConfirmedAsync(database.Provider, "argon2id");

        Assert.StartsWith(Argon2idWithOwaspCost, (await StoredAsync(email)).PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pbkdf2Hash_PasswordGrant_SignsInAndStoresArgon2id_KeepingTheRefreshTokensAlreadyIssued()
    {
        using var client = database.Provider.CreateTokenClient();
        var email = await TestAccounts.CreateConfirmedAsync(database.Provider, "pbkdf2-grant");
        var issuedBefore = await client.PasswordAsync(email, ProviderFactory.UserPassword);
        var pbkdf2Hash = await StorePbkdf2HashAsync(email);
        var stampBefore = (await StoredAsync(email)).SecurityStamp;

        var wrong = await client.PasswordAsync(email, "a wrong password");
        Assert.Equal("invalid_grant", wrong.Error);
        Assert.Equal(pbkdf2Hash, (await StoredAsync(email)).PasswordHash);

        var signIn = await client.PasswordAsync(email, ProviderFactory.UserPassword);

        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        var after = await StoredAsync(email);
        Assert.StartsWith(Argon2idWithOwaspCost, after.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(stampBefore, after.SecurityStamp);
        var refreshed = await client.RefreshAsync(issuedBefore.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PasswordAsync(email, ProviderFactory.UserPassword)).Status);
    }

    [Fact]
    public async Task Pbkdf2Hash_LoginPage_SignsInAndStoresArgon2id()
    {
        var email = await TestAccounts.CreateConfirmedAsync(database.Provider, "pbkdf2-page");
        await StorePbkdf2HashAsync(email);
        using var browser = new FormClient(database.Provider);

        var login = await TestAccounts.SignInAsync(browser, email);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.StartsWith(Argon2idWithOwaspCost, (await StoredAsync(email)).PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pbkdf2Hash_ConcurrentSignIns_AllSucceedAndLeaveOneWorkingArgon2idHash()
    {
        using var client = database.Provider.CreateTokenClient();
        var email = await TestAccounts.CreateConfirmedAsync(database.Provider, "pbkdf2-concurrent");
        await StorePbkdf2HashAsync(email);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PasswordAsync(email, ProviderFactory.UserPassword)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.StartsWith(Argon2idWithOwaspCost, (await StoredAsync(email)).PasswordHash, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.PasswordAsync(email, ProviderFactory.UserPassword)).Status);
        Assert.Equal("invalid_grant", (await client.PasswordAsync(email, "a wrong password")).Error);
    }

    /// <summary>What a database upgraded from an earlier version holds: Identity's V3 format (its iteration count is in the hash).</summary>
    private async Task<string> StorePbkdf2HashAsync(string email)
    {
        var hash = new PasswordHasher<ApplicationUser>(Options.Create(new PasswordHasherOptions { IterationCount = 10_000 }))
            .HashPassword(new ApplicationUser(), ProviderFactory.UserPassword);
        using var scope = database.Provider.Services.CreateScope();
        var updated = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Users
            .Where(user => user.Email == email)
            .ExecuteUpdateAsync(user => user.SetProperty(u => u.PasswordHash, hash));
        Assert.Equal(1, updated);
        return hash;
    }

    private async Task<(string? PasswordHash, string? SecurityStamp)> StoredAsync(string email)
    {
        using var scope = database.Provider.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Users.AsNoTracking().SingleAsync(user => user.Email == email);
        return (user.PasswordHash, user.SecurityStamp);
    }
}
