using IdentityProvider.Audit;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Admin;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Audit;

/// <summary>The features write their own audit entries as they act.</summary>
public sealed class FeatureAuditTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private async Task<List<AuditEvent>> EntriesAsync(string email)
    {
        using var scope = fixture.Provider.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditEvents
            .Where(e => e.UserEmail == email).OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task SignIns_AreRecordedWithTheirOutcome_UnknownAccountsAreNot()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "audited");
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        await TestAccounts.SignInAsync(browser, email, "not the password at all");
        await TestAccounts.SignInAsync(browser, email);
        await api.PasswordAsync(email, ProviderFactory.UserPassword);
        var countBefore = await CountAsync();
        await TestAccounts.SignInAsync(browser, unknown, "whatever it is");

        Assert.Equal(
            [AuditTypes.SignInFailed, AuditTypes.SignInSucceeded, AuditTypes.SignInSucceeded],
            (await EntriesAsync(email)).Select(e => e.Type));
        // Nothing at all is written for an unknown account, not even an entry without a user.
        Assert.Equal(countBefore, await CountAsync());
    }

    [Fact]
    public async Task PasswordGrant_ForATwoFactorAccount_IsRecordedAsTheRefusalItIs()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "audited-2fa");
        await Account.TwoFactorTests.EnableAsync(browser);
        var before = (await EntriesAsync(email)).Count;

        var refused = await api.PasswordAsync(email, ProviderFactory.UserPassword);

        Assert.Equal("invalid_grant", refused.Error);
        var entry = Assert.Single((await EntriesAsync(email)).Skip(before));
        Assert.Equal(AuditTypes.SignInFailed, entry.Type);
        Assert.Contains("two-factor", entry.Details, StringComparison.Ordinal);
    }

    private async Task<int> CountAsync()
    {
        using var scope = fixture.Provider.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditEvents.CountAsync();
    }

    [Fact]
    public async Task RepeatedFailures_RecordTheLockout()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "lockout");
        using var api = fixture.Provider.CreateTokenClient();

        for (var i = 0; i < 6; i++)
        {
            await api.PasswordAsync(email, "wrong password number " + i);
        }

        Assert.Contains(AuditTypes.LockedOut, (await EntriesAsync(email)).Select(e => e.Type));
    }

    [Fact]
    public async Task ForgotAndResetPassword_AreRecorded()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "resetaudit");
        using var browser = new FormClient(fixture.Provider);

        await browser.SubmitAsync("Account/ForgotPassword", new() { ["Input.Email"] = email });
        var link = FormClient.LinkIn(await MailServer.WaitForMailAsync(email, "Reset your password"), "ResetPassword");
        await browser.SubmitAsync(link, new() { ["Input.Email"] = email, ["Input.Password"] = "a fresh audited passphrase", ["Input.ConfirmPassword"] = "a fresh audited passphrase" });

        var types = (await EntriesAsync(email)).Select(e => e.Type).ToList();
        Assert.Contains(AuditTypes.PasswordResetRequested, types);
        Assert.Contains(AuditTypes.PasswordResetCompleted, types);
    }

    [Fact]
    public async Task ReplayedRefreshToken_IsRecordedWithItsClient()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "replay");
        using var api = fixture.Provider.CreateTokenClient();
        var first = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        await api.RefreshAsync(first.RefreshToken);

        var replay = await api.RefreshAsync(first.RefreshToken);

        using var scope = fixture.Provider.Services.CreateScope();
        var entries = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditEvents
            .Where(e => e.Type == AuditTypes.RefreshTokenReused).ToListAsync();
        Assert.Equal("invalid_grant", replay.Error);
        Assert.Contains(entries, entry => entry.ClientId == ProviderFactory.ConfidentialClient);
    }
}
