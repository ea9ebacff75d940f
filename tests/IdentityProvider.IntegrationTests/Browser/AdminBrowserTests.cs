using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>The admin console in a real Chromium; the screenshots it saves are the ones in docs/admin.md.</summary>
public sealed class AdminBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static async Task<IPage> SignedInAdminAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("Admin/Users");
        await SignInAsync(page, ProviderFactory.UserEmail);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Fills in the sign-in page the browser is on.</summary>
    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static async Task Screenshot(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png"), FullPage = true });

    [BrowserFact]
    public async Task AdminRegistersAClient_CopiesTheSecret_AndTheClientGetsAToken()
    {
        var clientId = "browser-made-" + Guid.NewGuid().ToString("N")[..6];
        await using var context = await fixture.NewContextAsync();
        var page = await SignedInAdminAsync(context);
        using var api = fixture.CreateTokenClient();
        await Screenshot(page, "admin-users");

        await page.GetByRole(AriaRole.Link, new() { Name = "Clients" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Register a client" }).ClickAsync();
        await page.GetByLabel("Client id").FillAsync(clientId);
        await page.GetByLabel("Display name (shown on the consent page)").FillAsync("Nightly reports");
        await page.GetByLabel("client_credentials").CheckAsync();
        await page.GetByLabel("Scopes (space-separated; openid and offline_access need no entry)").FillAsync("api");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        var secret = await page.Locator("code.secret").InnerTextAsync();
        await Screenshot(page, "admin-client");

        var tokens = await api.PostAsync("connect/token", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "api",
        });
        await page.ReloadAsync();

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal(0, await page.Locator("code.secret").CountAsync());
    }

    [BrowserFact]
    public async Task NonAdmin_OpeningTheConsole_SeesWhyAndSwitchesToAnAdminAccount()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "browser-plain");
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await SignInAsync(page, email);

        var refused = await page.GotoAsync("Admin");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No access" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync($"You are signed in as {email}.");
        await Screenshot(page, "access-denied");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out and sign in as someone else" }).ClickAsync();
        await SignInAsync(page, ProviderFactory.UserEmail);

        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task AdminLocksAUser_AndTheUsersNextRefreshFails()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "browser-locked");
        using var api = fixture.CreateTokenClient();
        var tokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        await using var context = await fixture.NewContextAsync();
        var page = await SignedInAdminAsync(context);

        await page.GetByRole(AriaRole.Searchbox).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = email }).ClickAsync();
        var questions = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            questions.Add(dialog.Message);
            await (questions.Count == 1 ? dialog.DismissAsync() : dialog.AcceptAsync());
        };
        await page.GetByRole(AriaRole.Button, new() { Name = "Lock the account" }).ClickAsync();
        var afterDismissing = await api.RefreshAsync(tokens.RefreshToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lock the account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The account is locked.");
        await Screenshot(page, "admin-user");
        await page.GotoAsync(new Uri(fixture.Origin, "Admin/Audit?type=user.locked&user=" + Uri.EscapeDataString(email)).ToString());
        var auditEntry = await page.Locator("tbody tr").First.InnerTextAsync();
        await Screenshot(page, "admin-audit");

        Assert.Equal(2, questions.Count);
        // Over a real socket the audit log records where the admin acted from (here, loopback).
        Assert.Contains(ProviderFactory.UserEmail, auditEntry, StringComparison.Ordinal);
        Assert.Matches(@"127\.0\.0\.1|::1", auditEntry);
        Assert.StartsWith("Lock this account?", questions[0], StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, afterDismissing.Status);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(afterDismissing.RefreshToken)).Error);
    }
}
