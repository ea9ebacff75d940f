using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>The account pages as a person uses them: a real Chromium, real mails, links followed from the mail.</summary>
public sealed class AccountBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string NewPassword = "a brand new browser passphrase";

    [BrowserFact]
    public async Task RegisterConfirmLoginForgotReset_InARealBrowser_ThenOldRefreshTokenIsRejected()
    {
        var email = $"browser-{Guid.NewGuid():N}@example.com";
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        using var api = fixture.CreateTokenClient();

        await RegisterConfirmedAsync(page, email);

        await SignInAsync(page, email, ProviderFactory.UserPassword);
        var oldTokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.GotoAsync("Account/ForgotPassword");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reset link" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Check your email");

        await page.GotoAsync((await MailServer.WaitForMailAsync(email, "Reset your password")).LinkTo("ResetPassword").ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Password changed");

        await SignInAsync(page, email, NewPassword);
        await Screenshot(page, "signed-in-after-reset");

        Assert.Equal(HttpStatusCode.OK, oldTokens.Status);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(oldTokens.RefreshToken)).Error);
    }

    [BrowserFact]
    public async Task TwoFactor_SetUpFromTheKeyOnThePage_ThenSignInAsksForTheCode()
    {
        var email = $"browser-2fa-{Guid.NewGuid():N}@example.com";
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await RegisterConfirmedAsync(page, email);
        await SignInAsync(page, email, ProviderFactory.UserPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Profile" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        var key = Totp.DecodeBase32((await page.Locator("code.key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal))!;
        Assert.True(await page.Locator("img.qr").EvaluateAsync<int>("image => image.naturalWidth") > 100, "The QR code image did not load.");
        await Screenshot(page, "enable-authenticator");
        await page.GetByLabel("Verification code").FillAsync(Totp.Compute(key, Totp.StepAt(DateTimeOffset.UtcNow)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Your recovery codes");
        await Assertions.Expect(page.Locator("ul.codes li")).ToHaveCountAsync(10);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Two-factor sign-in");
        await page.GetByLabel("Authenticator code").FillAsync(Totp.Compute(key, Totp.StepAt(DateTimeOffset.UtcNow) + 1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Signed in as")).ToBeVisibleAsync();
        await page.GotoAsync("Account/Manage/TwoFactorAuthentication");
        await Assertions.Expect(page.GetByText("You have 10 recovery codes left.")).ToBeVisibleAsync();
        await Screenshot(page, "two-factor-on");
    }

    private static async Task RegisterConfirmedAsync(IPage page, string email)
    {
        await page.GotoAsync("Account/Register");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Display name").FillAsync("Browser User");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ProviderFactory.UserPassword);
        await page.GetByLabel("Confirm password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Check your email");

        await page.GotoAsync((await MailServer.WaitForMailAsync(email)).LinkTo("ConfirmEmail").ToString());
        await page.GetByLabel("Password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my email address" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Email confirmed");
    }

    /// <summary>Saved with the test output, for a person to look at the pages.</summary>
    private static async Task Screenshot(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png"), FullPage = true });

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Signed in as")).ToBeVisibleAsync();
    }
}
