using System.Net;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests;

/// <summary>Accounts whose passwords were stored before Argon2id, with Identity's PBKDF2 hashes.</summary>
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
        var pbkdf2Hash = await TestAccounts.StorePbkdf2HashAsync(database.Provider, email);
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
        await TestAccounts.StorePbkdf2HashAsync(database.Provider, email);
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
        await TestAccounts.StorePbkdf2HashAsync(database.Provider, email);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PasswordAsync(email, ProviderFactory.UserPassword)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.StartsWith(Argon2idWithOwaspCost, (await StoredAsync(email)).PasswordHash, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.PasswordAsync(email, ProviderFactory.UserPassword)).Status);
        Assert.Equal("invalid_grant", (await client.PasswordAsync(email, "a wrong password")).Error);
    }

    [Fact]
    public async Task Pbkdf2Hash_WhenTheAccountIsSignedOutEverywhereDuringTheUpgrade_ThePasswordCheckFails()
    {
        var email = await TestAccounts.CreateConfirmedAsync(database.Provider, "pbkdf2-race");
        await TestAccounts.StorePbkdf2HashAsync(database.Provider, email);
        using var checking = database.Provider.Services.CreateScope();
        var users = checking.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var loaded = await users.FindByEmailAsync(email);

        // Between loading the account and storing its upgraded hash, an admin ends all of its sessions.
        using (var admin = database.Provider.Services.CreateScope())
        {
            var adminUsers = admin.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await adminUsers.UpdateSecurityStampAsync((await adminUsers.FindByEmailAsync(email))!)).Succeeded);
        }

        Assert.False(await users.CheckPasswordAsync(loaded!, ProviderFactory.UserPassword));
        using var client = database.Provider.CreateTokenClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PasswordAsync(email, ProviderFactory.UserPassword)).Status);
    }

    private async Task<(string? PasswordHash, string? SecurityStamp)> StoredAsync(string email)
    {
        using var scope = database.Provider.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Users.AsNoTracking().SingleAsync(user => user.Email == email);
        return (user.PasswordHash, user.SecurityStamp);
    }
}
