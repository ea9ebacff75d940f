using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Sso;

public sealed class ConsentTests(SsoFixture fixture) : IClassFixture<SsoFixture>
{
    /// <summary>Follows a redirect to the consent page and presses <paramref name="button"/> (Allow or Deny).</summary>
    public static Task<HttpResponseMessage> AnswerAsync(FormClient browser, HttpResponseMessage toConsent, string button) =>
        browser.SubmitAsync(CodeFlow.Location(toConsent).PathAndQuery.TrimStart('/'), [], action: "Account/Consent?handler=" + button);

    private async Task<(FormClient Browser, CodeFlow Flow)> PartnerFlowAsync()
    {
        var browser = new FormClient(fixture.Provider);
        // An account of its own per test, so remembered consents do not leak between tests.
        await TestAccounts.SignInAsync(browser, await TestAccounts.CreateConfirmedAsync(fixture.Provider, "consent"));
        return (browser, new CodeFlow(browser)
        {
            ClientId = ProviderFactory.PartnerClient, RedirectUri = ProviderFactory.PartnerRedirectUri, Scope = "openid profile email",
        });
    }

    [Fact]
    public async Task ThirdPartyApp_FirstTime_ShowsWhoAsksForWhatInPlainWords()
    {
        var (browser, flow) = await PartnerFlowAsync();
        using var _ = browser;

        using var response = await flow.AuthorizeAsync();
        var (status, page) = await browser.GetAsync(CodeFlow.Location(response).PathAndQuery.TrimStart('/'));

        Assert.Equal("/Account/Consent", CodeFlow.Location(response).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Partner &lt;App&gt;", page, StringComparison.Ordinal);
        Assert.Contains("See your name", page, StringComparison.Ordinal);
        Assert.Contains("See your email address", page, StringComparison.Ordinal);
        Assert.Contains("Content-Security-Policy", string.Join(",", (await browser.Http.GetAsync(CodeFlow.Location(response))).Headers.Select(h => h.Key)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_IssuesTheCode_AndIsRememberedNextTime()
    {
        var (browser, flow) = await PartnerFlowAsync();
        using var _ = browser;

        using var first = await flow.AuthorizeAsync();
        var allowed = await AnswerAsync(browser, first, "Allow");
        using var back = await browser.Http.GetAsync(allowed.Headers.Location);
        using var nextTime = await flow.AuthorizeAsync();

        Assert.StartsWith("/connect/authorize?", allowed.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.True(CodeFlow.ReturnedParameters(back).ContainsKey("code"));
        Assert.True(CodeFlow.ReturnedParameters(nextTime).ContainsKey("code"));
    }

    [Fact]
    public async Task Deny_AnswersAccessDeniedToTheClient()
    {
        var (browser, flow) = await PartnerFlowAsync();
        using var _ = browser;

        using var first = await flow.AuthorizeAsync();
        var denied = await AnswerAsync(browser, first, "Deny");
        using var back = await browser.Http.GetAsync(denied.Headers.Location);
        var returned = CodeFlow.ReturnedParameters(back);

        Assert.StartsWith(ProviderFactory.PartnerRedirectUri, back.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("access_denied", returned["error"]);
        Assert.Equal(flow.State, returned["state"]);
        Assert.Equal("https://idp.test/", returned["iss"]);
    }

    [Fact]
    public async Task PromptConsent_AsksAgainEvenWhenRemembered()
    {
        var (browser, flow) = await PartnerFlowAsync();
        using var _ = browser;
        using var first = await flow.AuthorizeAsync();
        await AnswerAsync(browser, first, "Allow");

        using var again = await flow.AuthorizeAsync(("prompt", "consent"));
        var allowedAgain = await AnswerAsync(browser, again, "Allow");
        using var back = await browser.Http.GetAsync(allowedAgain.Headers.Location);

        Assert.Equal("/Account/Consent", CodeFlow.Location(again).AbsolutePath);
        Assert.True(CodeFlow.ReturnedParameters(back).ContainsKey("code"));
    }

    [Fact]
    public async Task PromptNone_WithoutConsent_AnswersConsentRequired()
    {
        var (browser, flow) = await PartnerFlowAsync();
        using var _ = browser;

        using var response = await flow.AuthorizeAsync(("prompt", "none"));

        Assert.Equal("consent_required", CodeFlow.ReturnedParameters(response)["error"]);
    }

    [Fact]
    public async Task RevokedOnTheAppsPage_AsksAgain()
    {
        var (browser, flow) = await PartnerFlowAsync();
        using var _ = browser;
        using var first = await flow.AuthorizeAsync();
        await AnswerAsync(browser, first, "Allow");
        var (_, apps) = await browser.GetAsync("Account/Manage/Apps");
        Assert.Contains("you consented", apps, StringComparison.Ordinal);
        var applicationId = System.Text.RegularExpressions.Regex.Match(apps, "name=\"applicationId\" value=\"([^\"]+)\"").Groups[1].Value;

        await browser.SubmitAsync("Account/Manage/Apps?handler=Revoke", new() { ["applicationId"] = applicationId });
        using var afterRevoke = await flow.AuthorizeAsync();

        Assert.Equal("/Account/Consent", CodeFlow.Location(afterRevoke).AbsolutePath);
    }
}
