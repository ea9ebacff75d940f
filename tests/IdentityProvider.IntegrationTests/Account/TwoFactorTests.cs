using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Account;

public sealed partial class TwoFactorTests(MailingProviderFixture fixture) : IClassFixture<MailingProviderFixture>
{
    /// <summary>Turns two-factor on through the pages; returns the key and the recovery codes the pages showed.</summary>
    internal static async Task<(byte[] Key, string[] RecoveryCodes)> EnableAsync(FormClient browser)
    {
        var setup = await StartSetupAsync(browser);
        var key = Totp.DecodeBase32(SharedKey().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal))!;
        var enabled = await browser.SubmitAsync("Account/Manage/EnableAuthenticator", new() { ["Input.Code"] = CodeAt(key, 0) });
        Assert.Equal("/Account/Manage/ShowRecoveryCodes", enabled.Headers.Location?.OriginalString);
        var (_, shown) = await browser.GetAsync("Account/Manage/ShowRecoveryCodes");
        return (key, [.. RecoveryCode().Matches(shown).Select(match => match.Groups[1].Value)]);
    }

    /// <summary>Asks the set-up page for a key (its button) unless it shows one, and returns the page showing it.</summary>
    private static async Task<string> StartSetupAsync(FormClient browser)
    {
        var (_, page) = await browser.GetAsync("Account/Manage/EnableAuthenticator");
        if (SharedKey().IsMatch(page))
        {
            return page;
        }

        using var started = await browser.SubmitAsync("Account/Manage/EnableAuthenticator", [], handler: "Start");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        return (await browser.GetAsync("Account/Manage/EnableAuthenticator")).Html;
    }

    private static string CodeAt(byte[] key, int stepsFromNow) => Totp.Compute(key, Totp.StepAt(DateTimeOffset.UtcNow) + stepsFromNow);

    private static async Task<HttpResponseMessage> SignInWithPasswordAsync(FormClient browser, string email) =>
        await browser.SubmitAsync("Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = ProviderFactory.UserPassword });

    [Fact]
    public async Task Enable_ThenSignInNeedsTheCode_AndEachCodeWorksOnce()
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "twofactor");
        var (key, recoveryCodes) = await EnableAsync(browser);
        await browser.SubmitAsync("Account/Logout", []);

        // One code for the sign-in and its replay: computed again, it could fall in the next time step.
        var code = CodeAt(key, 1);
        var password = await SignInWithPasswordAsync(browser, email);
        var (_, beforeCode) = await browser.GetAsync("Account/Manage");
        var wrong = await browser.SubmitAsync("Account/LoginWith2fa", new() { ["Input.TwoFactorCode"] = code == "000000" ? "111111" : "000000" });
        var right = await browser.SubmitAsync("Account/LoginWith2fa", new() { ["Input.TwoFactorCode"] = code });
        var (_, afterCode) = await browser.GetAsync("");
        await browser.SubmitAsync("Account/Logout", []);
        await SignInWithPasswordAsync(browser, email);
        var replayed = await browser.SubmitAsync("Account/LoginWith2fa", new() { ["Input.TwoFactorCode"] = code });

        Assert.Equal(10, recoveryCodes.Length);
        Assert.StartsWith("/Account/LoginWith2fa", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("Signed in as", beforeCode, StringComparison.Ordinal);
        Assert.Contains("The code is not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Contains("Signed in as", afterCode, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("The code is not valid", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Two-factor sign-in is on", (await MailServer.WaitForMailAsync(email, "Two-factor sign-in is on")).Subject);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce()
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "recovery");
        var (_, recoveryCodes) = await EnableAsync(browser);
        await browser.SubmitAsync("Account/Logout", []);

        await SignInWithPasswordAsync(browser, email);
        var first = await browser.SubmitAsync("Account/LoginWithRecoveryCode", new() { ["Input.RecoveryCode"] = recoveryCodes[0] });
        var (_, status) = await browser.GetAsync("Account/Manage/TwoFactorAuthentication");
        await browser.SubmitAsync("Account/Logout", []);
        await SignInWithPasswordAsync(browser, email);
        var again = await browser.SubmitAsync("Account/LoginWithRecoveryCode", new() { ["Input.RecoveryCode"] = recoveryCodes[0] });

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Contains("9 recovery codes left", status, StringComparison.Ordinal);
        Assert.Contains("The recovery code is not valid", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoveryCode_WrongFiveTimes_LocksTheAccountEvenForARightCode()
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "guessing");
        var (_, recoveryCodes) = await EnableAsync(browser);
        await browser.SubmitAsync("Account/Logout", []);
        await SignInWithPasswordAsync(browser, email);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await browser.SubmitAsync("Account/LoginWithRecoveryCode", new() { ["Input.RecoveryCode"] = "AAAAA-BBBBB" });
        }

        using var right = await browser.SubmitAsync("Account/LoginWithRecoveryCode", new() { ["Input.RecoveryCode"] = recoveryCodes[0] });

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Too many failed attempts", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpeningTheSetUpPage_AsALinkFromAnotherSiteWould_ChangesNothingAndEndsNoAppSession()
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "opened");
        using var app = fixture.Provider.CreateTokenClient();
        var tokens = await app.PasswordAsync(email, ProviderFactory.UserPassword);

        var (status, page) = await browser.GetAsync("Account/Manage/EnableAuthenticator");
        var refreshed = await app.RefreshAsync(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotMatch(SharedKey(), page);
        Assert.Contains("handler=Start", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
    }

    [Fact]
    public async Task Enable_CodePostedBeforeAnyKeyWasMade_OffersToStartInsteadOfFailing()
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.RegisterConfirmedAsync(browser, "nokey");

        using var response = await browser.SubmitAsync("Account/Manage/EnableAuthenticator", new() { ["Input.Code"] = "123456" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("handler=Start", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(SharedKey(), html);
    }

    [Fact]
    public async Task StoredSecrets_AreNeitherTheKeyNorTheCodes_AndAStoredHashIsNoCode()
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "stored");
        var setup = await StartSetupAsync(browser);
        var shownKey = SharedKey().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var (_, recoveryCodes) = await EnableAsync(browser);
        using var scope = fixture.Provider.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityProvider.Data.ApplicationDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        List<string> stored = [.. db.UserTokens.Where(t => t.UserId == user.Id).Select(t => t.Value ?? "")];

        // The sign-in page caps a code at 32 characters; the store itself must not take a stored hash either.
        var storedHashAsCode = await users.RedeemTwoFactorRecoveryCodeAsync(user, stored.Single(value => value.StartsWith("h2:", StringComparison.Ordinal)).Split(';')[0]);
        var realCode = await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCodes[1]);
        // Redeeming one code leaves the others working.
        var anotherCode = await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCodes[2]);

        Assert.Contains(stored, value => value.StartsWith("dp1:", StringComparison.Ordinal));
        // Slow hashes (PBKDF2), not one SHA-256 of the user id and the code, which a copy of the table could search.
        var fastHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.Id + ":" + recoveryCodes[0])));
        Assert.All(stored, value => Assert.DoesNotContain(fastHash, value, StringComparison.Ordinal));
        Assert.All(stored, value => Assert.DoesNotContain(shownKey, value.ToUpperInvariant(), StringComparison.Ordinal));
        Assert.All(recoveryCodes, code => Assert.All(stored, value => Assert.DoesNotContain(code, value, StringComparison.Ordinal)));
        Assert.False(storedHashAsCode.Succeeded);
        Assert.True(realCode.Succeeded);
        Assert.True(anotherCode.Succeeded);
    }

    [Fact]
    public async Task RecoveryCodes_StoredBeforeTheSlowHash_StillWorkOnce()
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "oldcodes");
        await EnableAsync(browser);
        using var scope = fixture.Provider.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityProvider.Data.ApplicationDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        // As the earlier release stored them: "h1:" and one SHA-256 of the user id and the code.
        string OldHash(string code) => "h1:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.Id + ":" + code)));
        var row = db.UserTokens.Single(t => t.UserId == user.Id && t.Name == "RecoveryCodes");
        row.Value = string.Join(';', OldHash("old1-code"), OldHash("old2-code"));
        await db.SaveChangesAsync();

        var first = await users.RedeemTwoFactorRecoveryCodeAsync(user, "old1-code");
        var again = await users.RedeemTwoFactorRecoveryCodeAsync(user, "old1-code");
        var second = await users.RedeemTwoFactorRecoveryCodeAsync(user, "old2-code");

        Assert.True(first.Succeeded);
        Assert.False(again.Succeeded);
        Assert.True(second.Succeeded);
        Assert.Equal(0, await users.CountRecoveryCodesAsync(user));
    }

    [Fact]
    public async Task PasswordGrant_ForTwoFactorAccount_IsRefused()
    {
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "nogrant");
        await EnableAsync(browser);

        Assert.Equal("invalid_grant", (await api.PasswordAsync(email, ProviderFactory.UserPassword)).Error);
    }

    [Fact]
    public async Task Disable_NeedsThePassword_ThenThePasswordAloneSignsIn()
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "disable");
        await EnableAsync(browser);

        var wrongPassword = await browser.SubmitAsync("Account/Manage/Disable2fa", new() { ["Input.Password"] = "not my password at all" });
        var disabled = await browser.SubmitAsync("Account/Manage/Disable2fa", new() { ["Input.Password"] = ProviderFactory.UserPassword });
        await browser.SubmitAsync("Account/Logout", []);
        var signIn = await SignInWithPasswordAsync(browser, email);

        Assert.Contains("The password is not correct.", await wrongPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        Assert.Equal("Two-factor sign-in was turned off", (await MailServer.WaitForMailAsync(email, "Two-factor sign-in was turned off")).Subject);
    }

    [Fact]
    public async Task SecondStep_WithoutPasswordStep_SendsBackToLogin()
    {
        using var browser = new FormClient(fixture.Provider);

        using var response = await browser.Http.GetAsync("Account/LoginWith2fa");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "Enter the six-digit code")]
    [InlineData("12345", "Enter the six-digit code")]
    [InlineData("9999999999", "Enter the six-digit code")]
    [InlineData("abcdef", "The code is not valid")]
    public async Task Enable_WithHostileOrMalformedCode_ReRendersWithMessage(string code, string message)
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.RegisterConfirmedAsync(browser, "badcode");
        await StartSetupAsync(browser);

        var response = await browser.SubmitAsync("Account/Manage/EnableAuthenticator", new() { ["Input.Code"] = code + new string('7', code.Length > 6 ? 10_000 : 0) });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Account/LoginWith2fa", "Input.TwoFactorCode")]
    [InlineData("Account/LoginWithRecoveryCode", "Input.RecoveryCode")]
    public async Task SecondStep_WithHostileOrOversizedCode_ReRendersWithMessage(string page, string field)
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.RegisterConfirmedAsync(browser, "hostilestep");
        await EnableAsync(browser);
        await browser.SubmitAsync("Account/Logout", []);
        await SignInWithPasswordAsync(browser, email);

        var response = await browser.SubmitAsync(page, new() { [field] = "<script>alert(1)</script>" + new string('9', 10_000) });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("field-error", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<code class=\"key\">([a-z0-9 ]+)</code>")]
    private static partial Regex SharedKey();

    [GeneratedRegex("<li><code>([A-Za-z0-9-]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
