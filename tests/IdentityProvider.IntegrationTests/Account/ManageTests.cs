using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Account;

public sealed class ManageTests(MailingProviderFixture fixture) : IClassFixture<MailingProviderFixture>
{
    private const string NewPassword = "my freshly changed passphrase";

    [Fact]
    public async Task ChangePassword_WithoutSignIn_RedirectsToLogin()
    {
        using var browser = new FormClient(fixture.Provider);

        var (status, _) = await browser.GetAsync("Account/Manage/ChangePassword");

        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    [Fact]
    public async Task ChangePassword_WithCurrentPassword_RevokesTokensKeepsThisSessionAndMailsTheUser()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "changer");
        var tokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);

        var changed = await browser.SubmitAsync("Account/Manage/ChangePassword", new()
        {
            ["Input.OldPassword"] = ProviderFactory.UserPassword,
            ["Input.NewPassword"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal("/Account/Notice?kind=password-changed", changed.Headers.Location?.OriginalString);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(email, NewPassword)).Status);
        var (_, home) = await browser.GetAsync("");
        Assert.Contains("Signed in as", home, StringComparison.Ordinal);
        Assert.Equal("Your password was changed", (await MailServer.WaitForMailAsync(email, "Your password was changed")).Subject);
    }

    [Fact]
    public async Task ChangePassword_WithWrongCurrentPassword_ReRendersWithMessage()
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.RegisterConfirmedAsync(browser, "changer");

        var response = await browser.SubmitAsync("Account/Manage/ChangePassword", new()
        {
            ["Input.OldPassword"] = "not my current password",
            ["Input.NewPassword"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The current password is not correct.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_ChangedDisplayName_ShowsInTheNextAccessToken()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "changer");
        var before = await api.PasswordAsync(email, ProviderFactory.UserPassword);

        var saved = await browser.SubmitAsync("Account/Manage", new() { ["Input.DisplayName"] = "Renamed <b>Person</b>" });
        var refreshed = await api.RefreshAsync(before.RefreshToken);
        var (_, page) = await browser.GetAsync("Account/Manage");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Renamed <b>Person</b>", refreshed.ReadAccessToken().GetClaim("name").Value);
        Assert.Contains("Renamed &lt;b&gt;Person&lt;/b&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeEmail_ConfirmedFromTheNewAddress_SwitchesSignInAndTellsTheOldAddress()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var oldEmail = await TestAccounts.RegisterConfirmedAsync(browser, "mover");
        var newEmail = $"moved-{Guid.NewGuid():N}@example.com";
        var tokens = await api.PasswordAsync(oldEmail, ProviderFactory.UserPassword);

        var requested = await browser.SubmitAsync("Account/Manage/Email", new() { ["Input.NewEmail"] = newEmail });
        var link = FormClient.LinkIn(await MailServer.WaitForMailAsync(newEmail, "Confirm your new email address"), "ConfirmEmailChange");
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(oldEmail, ProviderFactory.UserPassword)).Status);
        var confirmed = await browser.SubmitAsync(link, []);

        Assert.Equal("/Account/Notice?kind=check-email", requested.Headers.Location?.OriginalString);
        Assert.Equal("/Account/Notice?kind=email-changed", confirmed.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(newEmail, ProviderFactory.UserPassword)).Status);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(oldEmail, ProviderFactory.UserPassword)).Error);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokens.RefreshToken)).Error);
        var notice = await MailServer.WaitForMailAsync(oldEmail, "Your email address was changed");
        Assert.Contains(newEmail, notice.Text, StringComparison.Ordinal);
        Assert.Equal("/Account/Notice?kind=invalid-link", (await browser.SubmitAsync(link, [])).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ChangingTheEmail_WithASignInOlderThanFiveMinutes_AsksForThePasswordFirst_AndTellsTheOldAddress()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), clock: clock);
        using var browser = new FormClient(provider);
        var email = await TestAccounts.CreateConfirmedAsync(provider, "stale");
        await TestAccounts.SignInAsync(browser, email);
        var change = new Dictionary<string, string> { ["Input.NewEmail"] = $"new-{Guid.NewGuid():N}@example.com" };

        clock.Offset = TimeSpan.FromMinutes(6);
        using var stale = await browser.SubmitAsync("Account/Manage/Email", change);
        var mailsWhileStale = await provider.QueuedMailsToAsync(email);
        await TestAccounts.SignInAsync(browser, email);
        using var fresh = await browser.SubmitAsync("Account/Manage/Email", change);

        Assert.Equal("/Account/Login", CodeFlow.Location(stale).AbsolutePath);
        Assert.Contains("reauthenticate", CodeFlow.Location(stale).Query, StringComparison.Ordinal);
        Assert.Equal(0, mailsWhileStale);
        Assert.Equal("/Account/Notice?kind=check-email", fresh.Headers.Location?.OriginalString);
        Assert.Equal(1, await provider.QueuedMailsToAsync(email));
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPasswords_CountTowardsTheLockout()
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "guessed");
        await TestAccounts.SignInAsync(browser, email);

        for (var i = 0; i < 5; i++)
        {
            await browser.SubmitAsync("Account/Manage/ChangePassword", new()
            {
                ["Input.OldPassword"] = "a guess " + i,
                ["Input.NewPassword"] = "a different passphrase entirely",
                ["Input.ConfirmPassword"] = "a different passphrase entirely",
            });
        }

        using var scope = fixture.Provider.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!));
    }

    [Fact]
    public async Task MailsToAddressesNotYetConfirmed_CarryNothingTheRequesterWrote()
    {
        using var browser = new FormClient(fixture.Provider);
        const string name = "Win-a-prize-at-evil-example";
        var email = await TestAccounts.RegisterConfirmedAsync(browser, name);
        var newEmail = $"target-{Guid.NewGuid():N}@example.com";

        await browser.SubmitAsync("Account/Manage/Email", new() { ["Input.NewEmail"] = newEmail });
        var confirmNew = await MailServer.WaitForMailAsync(newEmail, "Confirm your new email address");
        var confirmRegistration = await MailServer.WaitForMailAsync(email, "Confirm your email address");

        Assert.DoesNotContain(name, confirmNew.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hello " + name, confirmRegistration.Text, StringComparison.Ordinal);
        Assert.StartsWith("Hello,", confirmNew.Text?.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeEmail_ToATakenAddress_LooksTheSameAndMailsItsOwnerNoLink()
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.RegisterConfirmedAsync(browser, "squatter");
        var takenEmail = await TestAccounts.RegisterConfirmedAsync(new FormClient(fixture.Provider), "owner");

        var requested = await browser.SubmitAsync("Account/Manage/Email", new() { ["Input.NewEmail"] = takenEmail });

        Assert.Equal("/Account/Notice?kind=check-email", requested.Headers.Location?.OriginalString);
        var mail = await MailServer.WaitForMailAsync(takenEmail, "You already have an account");
        Assert.DoesNotContain("ConfirmEmailChange", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not an email")]
    [InlineData("<script>alert(1)</script>@example.com")]
    public async Task ChangeEmail_WithInvalidAddress_ReRendersWithMessage(string newEmail)
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.RegisterConfirmedAsync(browser, "typo");

        var response = await browser.SubmitAsync("Account/Manage/Email", new() { ["Input.NewEmail"] = newEmail + new string('x', 300) });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("field-error", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmEmailChange_WithTamperedCode_ChangesNothing()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "tamper");
        var newEmail = $"tampered-{Guid.NewGuid():N}@example.com";
        await browser.SubmitAsync("Account/Manage/Email", new() { ["Input.NewEmail"] = newEmail });
        var link = FormClient.LinkIn(await MailServer.WaitForMailAsync(newEmail), "ConfirmEmailChange");
        var otherAddress = $"elsewhere-{Guid.NewGuid():N}@example.com";

        var tampered = link.Replace(newEmail, otherAddress, StringComparison.Ordinal);
        Assert.NotEqual(link, tampered);

        var response = await browser.SubmitAsync(tampered, []);

        Assert.Equal("/Account/Notice?kind=invalid-link", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(email, ProviderFactory.UserPassword)).Status);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(otherAddress, ProviderFactory.UserPassword)).Error);
    }

    [Fact]
    public async Task Apps_ListsTheAppHoldingASessionAndRevokeEndsIt()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "apps");
        var tokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);

        var (_, listed) = await browser.GetAsync("Account/Manage/Apps");
        var applicationId = ApplicationIdIn(listed);
        var revoked = await browser.SubmitAsync("Account/Manage/Apps?handler=Revoke", new() { ["applicationId"] = applicationId });
        var (_, after) = await browser.GetAsync("Account/Manage/Apps");

        Assert.Contains(ProviderFactory.ConfidentialClient, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Contains("No app has access", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apps_RevokeWithAnotherUsersAppId_LeavesThatUsersSessionAlone()
    {
        using var victimBrowser = new FormClient(fixture.Provider);
        using var attacker = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var victim = await TestAccounts.RegisterConfirmedAsync(victimBrowser, "victim");
        await TestAccounts.RegisterConfirmedAsync(attacker, "attacker");
        var victimTokens = await api.PasswordAsync(victim, ProviderFactory.UserPassword);
        var (_, listed) = await victimBrowser.GetAsync("Account/Manage/Apps");
        var applicationId = ApplicationIdIn(listed);

        await attacker.SubmitAsync("Account/Manage/Apps?handler=Revoke", new() { ["applicationId"] = applicationId });

        Assert.Equal(HttpStatusCode.OK, (await api.RefreshAsync(victimTokens.RefreshToken)).Status);
    }

    [Theory]
    [InlineData("Account/Manage")]
    [InlineData("Account/Manage/ChangePassword")]
    public async Task Forms_WithHostileOrOversizedInput_ReRenderWithErrorsNeverA500(string page)
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.RegisterConfirmedAsync(browser, "hostile");
        var huge = "<script>alert(1)</script>" + new string('x', 10_000);

        var response = await browser.SubmitAsync(page, new()
        {
            ["Input.DisplayName"] = huge,
            ["Input.OldPassword"] = huge,
            ["Input.NewPassword"] = huge,
            ["Input.ConfirmPassword"] = "different",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("field-error", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }

    private static string ApplicationIdIn(string appsPage) =>
        Regex.Match(appsPage, "name=\"applicationId\" value=\"([^\"]+)\"") is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("No app listed: " + appsPage);
}
