using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Browser;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.IntegrationTests.Interop;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Developers;

/// <summary>
/// Third-party apps as their developers and users meet them in Chromium: registered in the portal, or registered by
/// another library's RFC 7591 client; users sign in to them through the consent page.
/// </summary>
public sealed class ThirdPartyAppBrowserTests(SharedInteropFixture shared) : IClassFixture<SharedInteropFixture>
{
    private InteropFixture Fixture => shared.Fixture;

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [BrowserFact]
    public async Task DeveloperRegistersASinglePageApp_AUserSignsInThroughConsent_TheDeveloperSeesOneUser()
    {
        var developerEmail = await DeveloperPortalTests.CreateDeveloperAccountAsync(Fixture.Provider);
        await using var developerContext = await Fixture.NewContextAsync();
        var developer = await developerContext.NewPageAsync();
        await developer.GotoAsync("Account/Login?ReturnUrl=%2FDeveloper");
        await SignInAsync(developer, developerEmail);
        await developer.GetByRole(AriaRole.Link, new() { Name = "Register an app" }).ClickAsync();
        await developer.Locator("#Input_Name").FillAsync("Portal SPA");
        await developer.GetByLabel("Single-page app").CheckAsync();
        await developer.Locator("#Input_Homepage").FillAsync("https://portal-spa.test/");
        await developer.Locator("#Input_RedirectUris").FillAsync("https://portal-spa.test/callback");
        foreach (var scope in new[] { "profile", "email", "offline_access" })
        {
            await developer.GetByRole(AriaRole.Checkbox, new() { Name = scope }).CheckAsync();
        }

        await developer.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        var clientId = await developer.Locator("#client-id").TextContentAsync() ?? "";
        // The SPA serves itself under its client id, known only now: the developer changes the redirect URIs.
        var address = Fixture.Spa.AppAddress(clientId);
        await developer.GetByRole(AriaRole.Link, new() { Name = "Change the app" }).ClickAsync();
        await developer.Locator("#Input_RedirectUris").FillAsync($"{address}/callback");
        await developer.Locator("#Input_PostLogoutRedirectUris").FillAsync($"{address}/signed-out");
        await developer.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(developer.Locator("#user-count")).ToHaveTextAsync("0");

        var userEmail = await TestAccounts.CreateConfirmedAsync(Fixture.Provider, "spa-user");
        await using var userContext = await Fixture.NewContextAsync();
        var user = await userContext.NewPageAsync();
        await Fixture.Spa.StartSignInAsync(user, clientId);
        await SignInAsync(user, userEmail);
        await Assertions.Expect(user.GetByText("Portal SPA wants to")).ToBeVisibleAsync();
        await Assertions.Expect(user.GetByText("Third-party app", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(user.GetByRole(AriaRole.Link, new() { Name = "Homepage" })).ToHaveAttributeAsync("href", "https://portal-spa.test/");
        await user.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await Assertions.Expect(user.Locator("#status")).ToHaveTextAsync(
            new Regex($"^{Regex.Escape(clientId)}: signed in as {Regex.Escape(userEmail)} \\(sub [^)]+\\)$"));

        await developer.ReloadAsync();
        await Assertions.Expect(developer.Locator("#user-count")).ToHaveTextAsync("1");
        await developer.GetByRole(AriaRole.Link, new() { Name = "All your apps" }).ClickAsync();
        await Assertions.Expect(developer.GetByRole(AriaRole.Row, new() { Name = "Portal SPA" }).Locator("td.users")).ToHaveTextAsync("1");
    }

    /// <summary>openid-client's dynamicClientRegistration, with an initial access token, registered this app at start.</summary>
    [BrowserFact]
    public async Task AnAppRegisteredByOpenIdClient_SignsAUserInThroughConsent_AsAnUnverifiedThirdParty()
    {
        var email = await TestAccounts.CreateConfirmedAsync(Fixture.Provider, "dcr-user");
        await using var context = await Fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await Fixture.Node.StartSelfRegisteredSignInAsync(page);
        await SignInAsync(page, email);

        await Assertions.Expect(page.GetByText($"{NodeRelyingParty.SelfRegisteredApp} (openid-client) wants to")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Third-party app", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Not verified")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            new Regex($"^{NodeRelyingParty.SelfRegisteredApp}: signed in as {Regex.Escape(email)} \\(sub [^)]+\\)$"));
    }
}
