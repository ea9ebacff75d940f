using System.Net;
using System.Reflection;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Admin;

public sealed class AdminAccessTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    public static TheoryData<string> AdminPages =>
        ["Admin", "Admin/Users", "Admin/Users/Details?id=x", "Admin/Users/Create", "Admin/Users/Edit?id=x", "Admin/Users/Delete?id=x", "Admin/Roles", "Admin/Roles/Details?id=x", "Admin/Audit",
        "Admin/Clients", "Admin/Clients/Edit", "Admin/Clients/Details?clientId=x", "Admin/Scopes", "Admin/Scopes/Edit"];

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task NonAdmin_Gets403_WithAPageThatSaysWhoIsSignedInAndOffersToSwitch(string page)
    {
        using var browser = new FormClient(fixture.Provider);
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "plain");
        await TestAccounts.SignInAsync(browser, email);

        var (status, html) = await browser.GetAsync(page);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("You do not have access to this page.", html, StringComparison.Ordinal);
        Assert.Contains($"You are signed in as <strong>{email}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("Sign out and sign in as someone else", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonAdmin_SwitchingAccountFromThe403Page_SignsOutAndComesBackAfterSigningInAsAdmin()
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.SignInAsync(browser, await TestAccounts.CreateConfirmedAsync(fixture.Provider, "switch"));

        var signedOut = await browser.SubmitAsync("Admin/Users?q=alice", [], action: "Account/Logout");
        var (statusAfterSignOut, _) = await browser.GetAsync("Account/Manage");
        var signedIn = await browser.SubmitAsync(signedOut.Headers.Location!.OriginalString.TrimStart('/'),
            new() { ["Input.Email"] = ProviderFactory.UserEmail, ["Input.Password"] = ProviderFactory.UserPassword });
        var (adminStatus, _) = await browser.GetAsync(signedIn.Headers.Location!.OriginalString.TrimStart('/'));

        Assert.Equal("/Account/Login?ReturnUrl=%2FAdmin%2FUsers%3Fq%3Dalice", signedOut.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, statusAfterSignOut);
        Assert.Equal("/Admin/Users?q=alice", signedIn.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, adminStatus);
    }

    /// <summary>Every POST handler of every admin page, found by reflection so that a new one cannot be forgotten.</summary>
    public static TheoryData<string> AdminActions()
    {
        var actions = new TheoryData<string>();
        var pages = typeof(IdentityProvider.Pages.Admin.IndexModel).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(PageModel)) && type.Namespace?.StartsWith("IdentityProvider.Pages.Admin", StringComparison.Ordinal) == true);
        foreach (var page in pages)
        {
            var path = page.Namespace!["IdentityProvider.Pages.".Length..].Replace('.', '/') + "/" + page.Name[..^"Model".Length];
            foreach (var method in page.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal)))
            {
                var handler = method.Name["OnPost".Length..].Replace("Async", "", StringComparison.Ordinal);
                actions.Add($"{path}?id=x&clientId=x&name=x" + (handler.Length > 0 ? "&handler=" + handler : ""));
            }
        }

        return actions;
    }

    [Theory]
    [MemberData(nameof(AdminActions))]
    public async Task NonAdmin_PostingAnAdminAction_Gets403(string action)
    {
        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.SignInAsync(browser, await TestAccounts.CreateConfirmedAsync(fixture.Provider, "plain"));

        var response = await browser.SubmitAsync("Account/Manage", [], action: action);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("You do not have access to this page.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Anonymous_IsSentToTheLoginPage(string page)
    {
        using var browser = new FormClient(fixture.Provider);

        using var response = await browser.Http.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Admin_WhoseSignInIsOlderThanRecentSignIn_MustSignInAgain()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), clock: clock);
        using var browser = new FormClient(provider);
        await TestAccounts.SignInAsync(browser);
        var (freshStatus, _) = await browser.GetAsync("Admin/Users");

        clock.Offset = TimeSpan.FromMinutes(16);
        using var stale = await browser.Http.GetAsync("Admin/Users");
        var again = await TestAccounts.SignInAsync(browser, returnUrl: "/Admin/Users");
        var (afterStatus, _) = await browser.GetAsync("Admin/Users");

        Assert.Equal(HttpStatusCode.OK, freshStatus);
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal("/Account/Login", CodeFlow.Location(stale).AbsolutePath);
        Assert.Contains("reauthenticate", CodeFlow.Location(stale).Query, StringComparison.Ordinal);
        Assert.Equal("/Admin/Users", again.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, afterStatus);
    }

    [Fact]
    public async Task ForgedPost_WithoutAntiforgeryToken_IsRejected()
    {
        using var browser = await fixture.AdminAsync();
        var target = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "forged");
        var id = await AdminFixture.IdOfAsync(browser, target);

        var response = await browser.SubmitAsync($"Admin/Users/Details?id={id}", [], withAntiforgery: false, action: $"Admin/Users/Details?id={id}&handler=Lock");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AdminWithTwoFactor_MustHavePassedTheSecondFactor()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "mfa-admin");
        using (var scope = fixture.Provider.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.AddToRoleAsync((await users.FindByEmailAsync(email))!, "admin");
        }

        using var browser = new FormClient(fixture.Provider);
        await TestAccounts.SignInAsync(browser, email);
        var (key, _) = await Account.TwoFactorTests.EnableAsync(browser);

        // This session began with the password only; turning two-factor on does not upgrade it.
        using var withoutSecondFactor = await browser.Http.GetAsync("Admin/Users");
        await TestAccounts.SignInAsync(browser, email, returnUrl: "/Admin/Users");
        var code = await browser.SubmitAsync("Account/LoginWith2fa?ReturnUrl=%2FAdmin%2FUsers",
            new() { ["Input.TwoFactorCode"] = Totp.Compute(key, Totp.StepAt(DateTimeOffset.UtcNow) + 1) });
        var (afterStatus, _) = await browser.GetAsync("Admin/Users");

        Assert.Equal("/Account/Login", CodeFlow.Location(withoutSecondFactor).AbsolutePath);
        Assert.Equal("/Admin/Users", code.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, afterStatus);
    }

    [Fact]
    public async Task AdminWithTwoFactor_StaysInTheConsole_WhenTheSessionIsRevalidatedAfterItsInterval()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), clock: clock);
        var email = await TestAccounts.CreateConfirmedAsync(provider, "mfa-admin-later");
        using (var scope = provider.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.AddToRoleAsync((await users.FindByEmailAsync(email))!, "admin");
        }

        using var browser = new FormClient(provider);
        await TestAccounts.SignInAsync(browser, email);
        var (key, _) = await Account.TwoFactorTests.EnableAsync(browser);
        await TestAccounts.SignInAsync(browser, email, returnUrl: "/Admin/Users");
        await browser.SubmitAsync("Account/LoginWith2fa?ReturnUrl=%2FAdmin%2FUsers",
            new() { ["Input.TwoFactorCode"] = Totp.Compute(key, Totp.StepAt(DateTimeOffset.UtcNow) + 1) });
        var (freshStatus, _) = await browser.GetAsync("Admin/Users");

        // Past Identity's security-stamp interval (a minute), well within the console's RecentSignIn.
        clock.Offset = TimeSpan.FromMinutes(3);
        using var revalidated = await browser.Http.GetAsync("Admin/Users");
        using var again = await browser.Http.GetAsync("Admin/Users");

        Assert.Equal(HttpStatusCode.OK, freshStatus);
        Assert.Equal(HttpStatusCode.OK, revalidated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}
