using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Browser;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>
/// The journeys a person makes through apps built on other libraries, in Chromium: each one for every
/// library in <see cref="InteropFixture.Libraries"/>. A page whose Content-Security-Policy stops a
/// redirect back to an app leaves the browser on the provider, and the journey fails.
/// </summary>
public sealed class InteropJourneyTests(InteropFixture fixture) : IClassFixture<InteropFixture>
{
    [BrowserTheory]
    [MemberData(nameof(InteropFixture.Libraries), MemberType = typeof(InteropFixture))]
    public async Task SignIn_ThroughTheForm_ReturnsToTheAppSignedIn(string library)
    {
        var party = fixture[library];
        var page = await NewPageAsync();

        await party.StartSignInAsync(page, InteropApp.First);
        await SubmitSignInFormAsync(page);

        await ExpectSignedInAsync(page, party, InteropApp.First);
    }

    [BrowserTheory]
    [MemberData(nameof(InteropFixture.Libraries), MemberType = typeof(InteropFixture))]
    public async Task ThirdPartyApp_AfterSignInAndConsent_ReturnsToTheAppSignedIn(string library)
    {
        var party = fixture[library];
        var page = await NewPageAsync();

        await party.StartSignInAsync(page, InteropApp.ThirdParty);
        await SubmitSignInFormAsync(page);
        await Assertions.Expect(page.GetByText($"{party.ClientId(InteropApp.ThirdParty)} wants to")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        await ExpectSignedInAsync(page, party, InteropApp.ThirdParty);
    }

    [BrowserTheory]
    [MemberData(nameof(InteropFixture.Libraries), MemberType = typeof(InteropFixture))]
    public async Task SingleSignOn_IntoASecondApp_ShowsNoSignInForm(string library)
    {
        var party = fixture[library];
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

    [BrowserTheory]
    [MemberData(nameof(InteropFixture.Libraries), MemberType = typeof(InteropFixture))]
    public async Task PromptNone_WithoutAProviderSession_ReturnsLoginRequiredToTheApp(string library)
    {
        var party = fixture[library];
        var page = await NewPageAsync();

        await party.StartSignInAsync(page, InteropApp.First, prompt: "none");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync($"{party.ClientId(InteropApp.First)}: error login_required");
    }

    [BrowserTheory]
    [MemberData(nameof(InteropFixture.Libraries), MemberType = typeof(InteropFixture))]
    public async Task PromptNone_WithAProviderSession_SignsInWithoutAPage(string library)
    {
        var party = fixture[library];
        var page = await NewPageAsync();
        await party.StartSignInAsync(page, InteropApp.First);
        await SubmitSignInFormAsync(page);
        await ExpectSignedInAsync(page, party, InteropApp.First);

        await party.StartSignInAsync(page, InteropApp.Second, prompt: "none");

        await ExpectSignedInAsync(page, party, InteropApp.Second);
    }

    [BrowserTheory]
    [MemberData(nameof(InteropFixture.Libraries), MemberType = typeof(InteropFixture))]
    public async Task Logout_AfterTheUserConfirms_ReturnsToTheAppWithItsStateAndEndsTheSession(string library)
    {
        var party = fixture[library];
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

    [BrowserFact]
    public async Task SinglePageApp_RefreshesThroughCors_AndTheRefreshTokenRotates()
    {
        var page = await NewPageAsync();
        await fixture.Spa.StartSignInAsync(page, InteropApp.First);
        await SubmitSignInFormAsync(page);
        await ExpectSignedInAsync(page, fixture.Spa, InteropApp.First);

        await SpaRelyingParty.RefreshAsync(page);

        await Assertions.Expect(page.Locator("#refresh")).ToHaveTextAsync("refresh token rotated");
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await fixture.NewContextAsync();
        return await context.NewPageAsync();
    }

    private static async Task SubmitSignInFormAsync(IPage page)
    {
        await page.GetByLabel("Email").FillAsync(ProviderFactory.UserEmail);
        await page.GetByLabel("Password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static Task ExpectSignedInAsync(IPage page, RelyingParty party, InteropApp app) =>
        Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            new Regex($"^{Regex.Escape(party.ClientId(app))}: signed in as {Regex.Escape(ProviderFactory.UserEmail)} \\(sub [^)]+\\)$"));
}
