using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Browser;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>
/// The journeys a person makes through an app built on one relying-party library, in Chromium. Each
/// library has its own test class below, so the libraries run in parallel against one provider. A page
/// whose Content-Security-Policy stops a redirect back to an app leaves the browser on the provider,
/// and the journey fails.
/// </summary>
public abstract class InteropJourneys(SharedInteropFixture shared, string library)
{
    protected InteropFixture Fixture => shared.Fixture;

    private RelyingParty Party => Fixture[library];

    [BrowserFact]
    public async Task SignIn_ThroughTheForm_ReturnsToTheAppSignedIn()
    {
        var party = Party;
        var page = await NewPageAsync();

        await party.StartSignInAsync(page, InteropApp.First);
        await SubmitSignInFormAsync(page);

        await ExpectSignedInAsync(page, party, InteropApp.First);
    }

    [BrowserFact]
    public async Task ThirdPartyApp_AfterSignInAndConsent_ReturnsToTheAppSignedIn()
    {
        var party = Party;
        var page = await NewPageAsync();

        await party.StartSignInAsync(page, InteropApp.ThirdParty);
        await SubmitSignInFormAsync(page);
        await Assertions.Expect(page.GetByText($"{party.ClientId(InteropApp.ThirdParty)} wants to")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        await ExpectSignedInAsync(page, party, InteropApp.ThirdParty);
    }

    [BrowserFact]
    public async Task SingleSignOn_IntoASecondApp_ShowsNoSignInForm()
    {
        var party = Party;
        var page = await NewPageAsync();
        await party.StartSignInAsync(page, InteropApp.First);
        await SubmitSignInFormAsync(page);
        await ExpectSignedInAsync(page, party, InteropApp.First);
        var visited = new List<string>();
        page.FrameNavigated += (_, frame) => visited.Add(frame.Url);

        await party.StartSignInAsync(page, InteropApp.Second);

        await ExpectSignedInAsync(page, party, InteropApp.Second);
        Assert.DoesNotContain(visited, url => url.Contains("/Account/", StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task PromptNone_WithoutAProviderSession_ReturnsLoginRequiredToTheApp()
    {
        var party = Party;
        var page = await NewPageAsync();

        await party.StartSignInAsync(page, InteropApp.First, prompt: "none");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync($"{party.ClientId(InteropApp.First)}: error login_required");
    }

    [BrowserFact]
    public async Task PromptNone_WithAProviderSession_SignsInWithoutAPage()
    {
        var party = Party;
        var page = await NewPageAsync();
        await party.StartSignInAsync(page, InteropApp.First);
        await SubmitSignInFormAsync(page);
        await ExpectSignedInAsync(page, party, InteropApp.First);

        await party.StartSignInAsync(page, InteropApp.Second, prompt: "none");

        await ExpectSignedInAsync(page, party, InteropApp.Second);
    }

    [BrowserFact]
    public async Task Logout_AfterTheUserConfirms_ReturnsToTheAppWithItsStateAndEndsTheSession()
    {
        var party = Party;
        var page = await NewPageAsync();
        await party.StartSignInAsync(page, InteropApp.First);
        await SubmitSignInFormAsync(page);
        await ExpectSignedInAsync(page, party, InteropApp.First);

        await party.StartSignOutAsync(page, InteropApp.First);
        await Assertions.Expect(page.GetByText("Do you want to sign out?")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(new Regex($"^{Regex.Escape(party.ClientId(InteropApp.First))}: signed out, state "));
        await party.StartSignInAsync(page, InteropApp.Second, prompt: "none");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync($"{party.ClientId(InteropApp.Second)}: error login_required");
    }

    protected async Task<IPage> NewPageAsync()
    {
        var context = await Fixture.NewContextAsync();
        return await context.NewPageAsync();
    }

    protected static async Task SubmitSignInFormAsync(IPage page)
    {
        await page.GetByLabel("Email").FillAsync(ProviderFactory.UserEmail);
        await page.GetByLabel("Password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    protected static Task ExpectSignedInAsync(IPage page, RelyingParty party, InteropApp app) =>
        Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            new Regex($"^{Regex.Escape(party.ClientId(app))}: signed in as {Regex.Escape(ProviderFactory.UserEmail)} \\(sub [^)]+\\)$"));
}

public sealed class AspNetCoreHandlerJourneys(SharedInteropFixture shared) : InteropJourneys(shared, "aspnetcore"), IClassFixture<SharedInteropFixture>;

public sealed class OpenIdClientJourneys(SharedInteropFixture shared) : InteropJourneys(shared, "openid-client"), IClassFixture<SharedInteropFixture>;

public sealed class NativeAppJourneys(SharedInteropFixture shared) : InteropJourneys(shared, "native"), IClassFixture<SharedInteropFixture>;

public sealed class OidcClientTsJourneys(SharedInteropFixture shared) : InteropJourneys(shared, "oidc-client-ts"), IClassFixture<SharedInteropFixture>
{
    [BrowserFact]
    public async Task SinglePageApp_RefreshesThroughCors_AndTheRefreshTokenRotates()
    {
        var page = await NewPageAsync();
        await Fixture.Spa.StartSignInAsync(page, InteropApp.First);
        await SubmitSignInFormAsync(page);
        await ExpectSignedInAsync(page, Fixture.Spa, InteropApp.First);

        await SpaRelyingParty.RefreshAsync(page);

        await Assertions.Expect(page.Locator("#refresh")).ToHaveTextAsync("refresh token rotated");
    }
}
