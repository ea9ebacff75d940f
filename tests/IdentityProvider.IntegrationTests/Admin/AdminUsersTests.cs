using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Admin;

public sealed partial class AdminUsersTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Search_FindsByPartOfTheEmailOrName_AndPagesOnTheServer()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 12; i++)
        {
            await TestAccounts.CreateConfirmedAsync(fixture.Provider, $"paged{tag}x{i:D2}");
        }

        using var browser = await fixture.AdminAsync();
        var (_, first) = await browser.GetAsync($"Admin/Users?q=PAGED{tag}");
        var (_, second) = await browser.GetAsync($"Admin/Users?q=paged{tag}&p=2");
        var (_, wildcards) = await browser.GetAsync($"Admin/Users?q={Uri.EscapeDataString($"paged{tag}x_1")}");
        var (_, percent) = await browser.GetAsync($"Admin/Users?q={Uri.EscapeDataString($"paged{tag}%")}");

        Assert.Contains("12 user(s) · page 1 of 2", first, StringComparison.Ordinal);
        Assert.Equal(10, UserLink().Count(first));
        Assert.Equal(2, UserLink().Count(second));
        Assert.Contains($"paged{tag}x11-", second, StringComparison.Ordinal);
        Assert.Contains("0 user(s)", wildcards, StringComparison.Ordinal);
        Assert.Contains("0 user(s)", percent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_ByRoleAndUnconfirmed_ShowOnlyThoseUsers()
    {
        using var browser = await fixture.AdminAsync();

        var (_, admins) = await browser.GetAsync("Admin/Users?role=admin");
        var (_, unconfirmed) = await browser.GetAsync("Admin/Users?filter=unconfirmed");

        Assert.Contains($"\">{ProviderFactory.UserEmail}</a>", admins, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderFactory.UnconfirmedEmail, admins, StringComparison.Ordinal);
        Assert.Contains($"\">{ProviderFactory.UnconfirmedEmail}</a>", unconfirmed, StringComparison.Ordinal);
        Assert.DoesNotContain($"\">{ProviderFactory.UserEmail}</a>", unconfirmed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_EndsTheUsersRefresh_ShowsInTheLockedFilter_AndIsAudited()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "lockme");
        using var api = fixture.Provider.CreateTokenClient();
        var tokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        using var browser = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(browser, email);

        var locked = await AdminFixture.ActAsync(browser, id, "Lock");
        var (_, lockedList) = await browser.GetAsync("Admin/Users?filter=locked");
        var (_, audit) = await browser.GetAsync("Admin/Audit?type=user.locked&user=" + email);

        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(email, ProviderFactory.UserPassword)).Error);
        Assert.Contains(email, lockedList, StringComparison.Ordinal);
        Assert.Contains("1 event(s)", audit, StringComparison.Ordinal);
        Assert.Contains(ProviderFactory.UserEmail, audit, StringComparison.Ordinal);
        Assert.Contains("(none) → indefinitely; 1 authorization(s) and 2 token(s) revoked", WebUtility.HtmlDecode(audit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlock_LetsTheUserSignInAgain_AndIsAudited()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "unlockme");
        using var api = fixture.Provider.CreateTokenClient();
        using var browser = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(browser, email);
        await AdminFixture.ActAsync(browser, id, "Lock");

        await AdminFixture.ActAsync(browser, id, "Unlock");
        var (_, audit) = await browser.GetAsync("Admin/Audit?type=user.unlocked&user=" + email);

        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(email, ProviderFactory.UserPassword)).Status);
        Assert.Contains("1 event(s)", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetFailedSignIns_OfAnUnlockedUser_StartsTheCountAgain()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "failures");
        using var api = fixture.Provider.CreateTokenClient();
        await api.PasswordAsync(email, "not the password");
        await api.PasswordAsync(email, "not the password either");
        using var browser = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(browser, email);
        var (_, before) = await browser.GetAsync($"Admin/Users/Details?id={id}");

        await AdminFixture.ActAsync(browser, id, "Unlock");
        var (_, after) = await browser.GetAsync($"Admin/Users/Details?id={id}");
        var (_, audit) = await browser.GetAsync("Admin/Audit?type=user.unlocked&user=" + email);

        Assert.Matches(@"<dt>Failed sign-ins</dt>\s*<dd>2\s", before);
        Assert.Contains("Reset to 0", before, StringComparison.Ordinal);
        Assert.Matches(@"<dt>Failed sign-ins</dt>\s*<dd>0\s", after);
        Assert.Contains("failed sign-ins: 2 → 0", WebUtility.HtmlDecode(audit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_WithADateInThePast_ReRendersWithAMessage()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "pastlock");
        using var browser = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(browser, email);

        var response = await AdminFixture.ActAsync(browser, id, "Lock", new() { ["LockUntil"] = "2001-01-01" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Choose a date in the future", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_WithAnUnreadableDate_ReRendersAndLocksNothing()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "baddate");
        using var api = fixture.Provider.CreateTokenClient();
        using var browser = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(browser, email);

        var response = await AdminFixture.ActAsync(browser, id, "Lock", new() { ["LockUntil"] = "not-a-date" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("field-error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(email, ProviderFactory.UserPassword)).Status);
    }

    [Theory]
    [InlineData("Admin/Users?q=")]
    [InlineData("Admin/Users?filter=")]
    [InlineData("Admin/Users?role=")]
    [InlineData("Admin/Users?sort=")]
    [InlineData("Admin/Audit?type=")]
    [InlineData("Admin/Audit?user=")]
    [InlineData("Admin/Audit?client=")]
    public async Task Lists_WithHostileOrOversizedFilters_AnswerNormally(string prefix)
    {
        using var browser = await fixture.AdminAsync();

        var (status, html) = await browser.GetAsync(prefix + Uri.EscapeDataString("<script>alert(1)</script>" + new string('x', 10_000)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Admin/Users?p=-5")]
    [InlineData("Admin/Users?p=999999")]
    [InlineData("Admin/Users?p=abc")]
    [InlineData("Admin/Audit?from=notadate")]
    [InlineData("Admin/Users/Details?id=no-such-user")]
    public async Task Lists_WithBadPagingOrIds_NeverFail(string url)
    {
        using var browser = await fixture.AdminAsync();

        var (status, _) = await browser.GetAsync(url);

        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{url}: {status}");
    }

    [GeneratedRegex("Details\\?id=")]
    private static partial Regex UserLink();
}
