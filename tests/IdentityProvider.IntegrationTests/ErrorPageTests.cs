using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests;

/// <summary>Error statuses a browser meets on the pages come with a page (an empty 4xx makes Chromium show its own); OpenIddict's paths keep their answers.</summary>
public sealed class ErrorPageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task UnknownPage_Is404_WithAPage()
    {
        using var browser = new FormClient(database.Provider);

        using var response = await browser.Http.GetAsync("no-such-page?x=1");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Page not found", page, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorPage_AskedForDirectly_IsNotFound()
    {
        using var browser = new FormClient(database.Provider);

        var (status, page) = await browser.GetAsync("Error");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Page not found", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormWithoutAntiforgeryToken_Is400_WithAPageThatSaysToReload()
    {
        using var browser = new FormClient(database.Provider);

        var response = await browser.SubmitAsync("Account/Login",
            new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = ProviderFactory.UserPassword }, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reload the page and try again", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connect/no-such-endpoint")]
    [InlineData(".well-known/no-such-document")]
    public async Task ProtocolPaths_KeepTheirOwnAnswers(string path)
    {
        using var browser = new FormClient(database.Provider);

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }
}
