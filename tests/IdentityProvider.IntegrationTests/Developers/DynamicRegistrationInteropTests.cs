using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Browser;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.IntegrationTests.Interop;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Developers;

/// <summary>
/// An app that registered itself with another library's RFC 7591 client (openid-client's dynamicClientRegistration,
/// with an initial access token) signs a user in through the consent page in Chromium.
/// </summary>
public sealed class DynamicRegistrationInteropTests(SharedInteropFixture shared) : IClassFixture<SharedInteropFixture>
{
    private InteropFixture Fixture => shared.Fixture;

    [BrowserFact]
    public async Task AnAppRegisteredByOpenIdClient_SignsAUserInThroughConsent_AsAnUnverifiedThirdParty()
    {
        var email = await TestAccounts.CreateConfirmedAsync(Fixture.Provider, "dcr-user");
        await using var context = await Fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await Fixture.Node.StartSelfRegisteredSignInAsync(page);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByText($"{NodeRelyingParty.SelfRegisteredApp} (openid-client) wants to")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Third-party app", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Not verified", new() { Exact = false })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            new Regex($"^{NodeRelyingParty.SelfRegisteredApp}: signed in as {Regex.Escape(email)} \\(sub [^)]+\\)$"));
    }
}
