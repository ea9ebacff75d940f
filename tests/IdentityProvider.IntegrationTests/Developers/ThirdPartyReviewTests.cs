using System.Net;
using IdentityProvider.Audit;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.IntegrationTests.Sso;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IdentityProvider.IntegrationTests.Developers.DeveloperPortalTests;

namespace IdentityProvider.IntegrationTests.Developers;

/// <summary>A provider that holds new third-party apps until an admin approves them, and lets a developer register two.</summary>
public sealed class ApprovalRequiredFixture : IAsyncLifetime
{
    public ProviderFactory Provider { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Developers:RequireApproval"] = "true",
            ["Developers:MaxAppsPerDeveloper"] = "2",
        });

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}

/// <summary>Apps held for an admin's approval, then approved, verified and suspended, as users, developers and admins see it.</summary>
public sealed class ThirdPartyReviewTests(ApprovalRequiredFixture fixture) : IClassFixture<ApprovalRequiredFixture>
{
    private ProviderFactory Provider => fixture.Provider;

    private static Task<HttpResponseMessage> ReviewAsync(FormClient admin, string clientId, string handler, string extra = "") =>
        admin.SubmitAsync("Admin/ThirdPartyApps", [], action: $"Admin/ThirdPartyApps?clientId={clientId}{extra}&handler={handler}");

    [Fact]
    public async Task HeldUntilApproved_ThenSignsUsersIn_ShowsVerified_AndSuspendingEndsItsTokens()
    {
        using var developer = await DeveloperAsync(Provider);
        using var registered = await RegisterAsync(developer, scopes: ["profile", "offline_access"]);
        var clientId = ClientIdOf(registered);
        var (_, appPage) = await developer.GetAsync($"Developer/App?clientId={clientId}");
        var secret = SecretIn(appPage);
        using var user = new FormClient(Provider);
        await TestAccounts.SignInAsync(user, await TestAccounts.CreateConfirmedAsync(Provider, "reviewed-app-user"));
        var flow = new CodeFlow(user) { ClientId = clientId, RedirectUri = WebRedirect, Scope = "openid profile offline_access" };
        using var whilePending = await flow.AuthorizeAsync();

        using var admin = new FormClient(Provider);
        await TestAccounts.SignInAsync(admin);
        var (_, reviewList) = await admin.GetAsync("Admin/ThirdPartyApps");
        var (_, pendingBefore) = await admin.GetAsync("Admin/ThirdPartyApps?review=Pending");
        using var approved = await ReviewAsync(admin, clientId, "Approve", "&review=Pending");
        var (_, pendingAfter) = await admin.GetAsync("Admin/ThirdPartyApps?review=Pending");
        var (_, approvedAfter) = await admin.GetAsync("Admin/ThirdPartyApps?review=Approved&p=1");
        using var toConsent = await flow.AuthorizeAsync();
        var allowed = await ConsentTests.AnswerAsync(user, toConsent, "Allow");
        using var back = await user.Http.GetAsync(allowed.Headers.Location);
        using var client = Provider.CreateTokenClient();
        var tokens = await client.CodeAsync(CodeFlow.ReturnedParameters(back)["code"], WebRedirect, flow.Verifier, clientId, secret);
        var (_, withOneUser) = await developer.GetAsync($"Developer/App?clientId={clientId}");

        using var verified = await ReviewAsync(admin, clientId, "Verify", "&verified=True");
        using var askedAgain = await flow.AuthorizeAsync(("prompt", "consent"));
        var (_, verifiedConsent) = await user.GetAsync(CodeFlow.Location(askedAgain).PathAndQuery.TrimStart('/'));

        using var suspended = await ReviewAsync(admin, clientId, "Suspend");
        var refreshAfter = await client.RefreshAsync(tokens.RefreshToken, clientId, secret);
        using var whileSuspended = await flow.AuthorizeAsync();
        var (_, suspendedPage) = await developer.GetAsync($"Developer/App?clientId={clientId}");

        Assert.Contains("Waiting for an administrator", appPage, StringComparison.Ordinal);
        Assert.Equal("unauthorized_client", CodeFlow.ReturnedParameters(whilePending)["error"]);
        Assert.Contains(clientId, reviewList, StringComparison.Ordinal);
        Assert.Contains("Pending", reviewList, StringComparison.Ordinal);
        Assert.Contains("@example.com", reviewList, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains("review=Pending", approved.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains(clientId, pendingBefore, StringComparison.Ordinal);
        Assert.DoesNotContain(clientId, pendingAfter, StringComparison.Ordinal);
        Assert.Contains(clientId, approvedAfter, StringComparison.Ordinal);
        Assert.Equal("/Account/Consent", CodeFlow.Location(toConsent).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Contains("<dd id=\"user-count\">1</dd>", withOneUser, StringComparison.Ordinal);
        Assert.Contains("Verified by our administrators", verifiedConsent, StringComparison.Ordinal);
        Assert.Equal("invalid_grant", refreshAfter.Error);
        Assert.Equal("unauthorized_client", CodeFlow.ReturnedParameters(whileSuspended)["error"]);
        Assert.Contains("Suspended by an administrator", suspendedPage, StringComparison.Ordinal);
        await using var scope = Provider.Services.CreateAsyncScope();
        var audited = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditEvents
            .Where(e => e.ClientId == clientId).Select(e => e.Type).ToListAsync();
        Assert.Contains(AuditTypes.ThirdPartyAppRegistered, audited);
        Assert.Contains(AuditTypes.ThirdPartyAppApproved, audited);
        Assert.Contains(AuditTypes.ThirdPartyAppVerified, audited);
        Assert.Contains(AuditTypes.ThirdPartyAppSuspended, audited);
    }

    [Fact]
    public async Task ScopeOpenedByAnAdmin_CanBeAskedFor_ClosedAgain_CannotBe()
    {
        using var admin = new FormClient(Provider);
        await TestAccounts.SignInAsync(admin);
        using var developer = await DeveloperAsync(Provider);

        using var refusedBefore = await RegisterAsync(developer, scopes: ["api"]);
        using var opened = await admin.SubmitAsync("Admin/Scopes/Edit?name=api", new() { ["Input.OpenToThirdParties"] = "true" });
        var (_, form) = await developer.GetAsync("Developer/Edit");
        using var acceptedAfter = await RegisterAsync(developer, scopes: ["api"]);
        using var closed = await admin.SubmitAsync("Admin/Scopes/Edit?name=api", new() { ["Input.OpenToThirdParties"] = "false" });
        using var refusedAgain = await RegisterAsync(developer, scopes: ["api"]);

        Assert.Equal(HttpStatusCode.OK, refusedBefore.StatusCode);
        Assert.Contains("is not open to third-party apps", await refusedBefore.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (opened.StatusCode, closed.StatusCode));
        Assert.Contains("value=\"api\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, acceptedAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refusedAgain.StatusCode);
    }

    [Fact]
    public async Task ADeveloperRegistersNoMoreAppsThanAllowed_UntilTheyDeleteOne()
    {
        using var developer = await DeveloperAsync(Provider);
        var first = ClientIdOf(await RegisterAsync(developer));
        using var second = await RegisterAsync(developer);

        using var third = await RegisterAsync(developer);
        using var deleted = await developer.SubmitAsync($"Developer/App?clientId={first}", new() { ["ConfirmClientId"] = first }, handler: "Delete");
        using var afterDeleting = await RegisterAsync(developer);

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Contains("as many as one developer may register", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, afterDeleting.StatusCode);
    }

    [Fact]
    public async Task AStoredRolesScope_IsNeverOpenToThirdParties()
    {
        using var admin = new FormClient(Provider);
        await TestAccounts.SignInAsync(admin);
        using var developer = await DeveloperAsync(Provider);

        using var created = await admin.SubmitAsync("Admin/Scopes/Edit", new() { ["Input.Name"] = "roles", ["Input.OpenToThirdParties"] = "true" });
        var (_, form) = await developer.GetAsync("Developer/Edit");
        using var refused = await RegisterAsync(developer, scopes: ["roles"]);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.DoesNotContain("value=\"roles\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("is not open to third-party apps", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHeldApp_SendsNobodyToItsPostLogoutAddress()
    {
        using var developer = await DeveloperAsync(Provider);
        using var registered = await developer.SubmitAsync("Developer/Edit", new()
        {
            ["Input.Name"] = "Held app", ["Input.Kind"] = "Web", ["Input.RedirectUris"] = WebRedirect,
            ["Input.PostLogoutRedirectUris"] = "https://portal-app.test/signed-out",
        });
        var clientId = ClientIdOf(registered);
        using var visitor = new FormClient(Provider);

        using var logout = await visitor.Http.GetAsync(
            $"connect/endsession?client_id={clientId}&post_logout_redirect_uri={Uri.EscapeDataString("https://portal-app.test/signed-out")}");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/Account/Logout", logout.Headers.Location!.OriginalString);
    }
}
