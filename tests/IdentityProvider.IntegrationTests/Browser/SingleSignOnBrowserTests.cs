using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>Two company apps built on ASP.NET Core's OpenID Connect handler share one login, and one logout, in a real Chromium.</summary>
public sealed class SingleSignOnBrowserTests(SsoBrowserFixture fixture) : IClassFixture<SsoBrowserFixture>
{
    [BrowserFact]
    public async Task SignInToA_OpenB_SignedInWithoutAForm_SignOutFromB_BothAppsAndTheProviderLoseTheSession()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var visited = new List<string>();
        page.FrameNavigated += (_, frame) => visited.Add(frame.Url);

        await page.GotoAsync(fixture.AppA.Origin.ToString());
        await page.GetByLabel("Email").FillAsync(ProviderFactory.UserEmail);
        await page.GetByLabel("Password").FillAsync(ProviderFactory.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync(new Regex($"^AppA: signed in as {Regex.Escape(ProviderFactory.UserEmail)} "));

        visited.Clear();
        await page.GotoAsync(fixture.AppB.Origin.ToString());
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync(new Regex($"^AppB: signed in as {Regex.Escape(ProviderFactory.UserEmail)} "));
        Assert.DoesNotContain(visited, url => url.Contains("/Account/Login", StringComparison.Ordinal));

        await page.GotoAsync(new Uri(fixture.AppB.Origin, "/signout").ToString());
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync(new Regex("^AppB: signed out"));

        await page.GotoAsync(fixture.Origin.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        // App A's own cookie is still in the browser: only the back-channel notice can have ended it.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            await page.GotoAsync(fixture.AppA.Origin.ToString());
        }
        while (!page.Url.Contains("/Account/Login", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Pause());

        Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(300);
        return true;
    }
}
