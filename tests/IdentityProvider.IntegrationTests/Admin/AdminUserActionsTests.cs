using System.Net;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Admin;

/// <summary>Each action on a user's admin page changes what it says and writes its audit entry.</summary>
public sealed class AdminUserActionsTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private static async Task<string> AuditAsync(FormClient admin, string type, string email)
    {
        var (_, page) = await admin.GetAsync($"Admin/Audit?type={type}&user={Uri.EscapeDataString(email)}");
        return WebUtility.HtmlDecode(page);
    }

    [Fact]
    public async Task SignOutEverywhere_RevokesEveryGrantAndSaysHowMany()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "everywhere");
        using var api = fixture.Provider.CreateTokenClient();
        var tokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        using var admin = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(admin, email);

        var done = await AdminFixture.ActAsync(admin, id, "SignOutEverywhere");
        var (_, page) = await admin.GetAsync(done.Headers.Location!.OriginalString.TrimStart('/'));

        // The password grant made one authorization and stored its access and refresh tokens (identity tokens get no row).
        Assert.Equal("Signed out everywhere: 1 authorization(s) and 2 token(s) revoked.", System.Text.RegularExpressions.Regex.Match(page, "Signed out everywhere[^<]*").Value);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Contains("1 authorization(s) and 2 token(s) revoked", await AuditAsync(admin, "user.signed_out_everywhere", email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeApp_EndsThatAppsRefresh()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "revokeapp");
        using var api = fixture.Provider.CreateTokenClient();
        var tokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        using var admin = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(admin, email);
        var (_, details) = await admin.GetAsync($"Admin/Users/Details?id={id}");
        var applicationId = System.Text.RegularExpressions.Regex.Match(details, "name=\"applicationId\" value=\"([^\"]+)\"").Groups[1].Value;

        await AdminFixture.ActAsync(admin, id, "RevokeApp", new() { ["applicationId"] = applicationId });

        Assert.Contains(ProviderFactory.ConfidentialClient, details, StringComparison.Ordinal);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Contains("access revoked", await AuditAsync(admin, "user.app_revoked", email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeSession_EndsThatDevicesRefreshOnly()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "twodevices");
        using var api = fixture.Provider.CreateTokenClient();
        var phone = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        var laptop = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        using var admin = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(admin, email);
        var (_, details) = await admin.GetAsync($"Admin/Users/Details?id={id}");
        var sessions = System.Text.RegularExpressions.Regex.Matches(details, "name=\"tokenId\" value=\"([^\"]+)\"").Select(match => match.Groups[1].Value).ToList();

        await AdminFixture.ActAsync(admin, id, "RevokeSession", new() { ["tokenId"] = sessions[0] });
        TokenResponse[] refreshed = [await api.RefreshAsync(phone.RefreshToken), await api.RefreshAsync(laptop.RefreshToken)];

        Assert.Equal(2, sessions.Count);
        Assert.Single(refreshed, response => response.Error == "invalid_grant");
        Assert.Single(refreshed, response => response.Status == HttpStatusCode.OK);
        Assert.Contains("session started", await AuditAsync(admin, "user.session_revoked", email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAndRemoveRole_ShowInTheUsersNextToken()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "roles");
        using var api = fixture.Provider.CreateTokenClient();
        using var admin = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(admin, email);

        await AdminFixture.ActAsync(admin, id, "AddRole", new() { ["role"] = "admin" });
        var withRole = (await api.PasswordAsync(email, ProviderFactory.UserPassword)).ReadAccessToken();
        await AdminFixture.ActAsync(admin, id, "RemoveRole", new() { ["role"] = "admin" });
        var withoutRole = (await api.PasswordAsync(email, ProviderFactory.UserPassword)).ReadAccessToken();
        var unknown = await AdminFixture.ActAsync(admin, id, "AddRole", new() { ["role"] = "<script>nope</script>" });

        Assert.Contains(withRole.Claims, claim => claim.Type == "role" && claim.Value == "admin");
        Assert.DoesNotContain(withoutRole.Claims, claim => claim.Type == "role");
        Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode);
        Assert.Contains("Roles: + admin", await AuditAsync(admin, "user.role_added", email), StringComparison.Ordinal);
        Assert.Contains("Roles: − admin", await AuditAsync(admin, "user.role_removed", email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendPasswordReset_MailsAWorkingLink()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "adminreset");
        using var admin = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(admin, email);

        await AdminFixture.ActAsync(admin, id, "SendPasswordReset");
        var mail = await MailServer.WaitForMailAsync(email, "Reset your password");

        Assert.Contains("Account/ResetPassword?", mail.Text, StringComparison.Ordinal);
        Assert.Contains("sent by an admin", await AuditAsync(admin, "password.reset_requested", email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmEmail_LetsAnUnconfirmedUserSignIn()
    {
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        var id = await AdminFixture.IdOfAsync(admin, ProviderFactory.UnconfirmedEmail);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(ProviderFactory.UnconfirmedEmail, ProviderFactory.UserPassword)).Error);

        await AdminFixture.ActAsync(admin, id, "ConfirmEmail");

        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(ProviderFactory.UnconfirmedEmail, ProviderFactory.UserPassword)).Status);
        Assert.Contains("by an admin", await AuditAsync(admin, "email.confirmed", ProviderFactory.UnconfirmedEmail), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_ChangesEmailAndName_AndRefusesATakenAddress()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "edit");
        var taken = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "taken");
        var renamed = $"renamed-{Guid.NewGuid():N}@example.com";
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        var id = await AdminFixture.IdOfAsync(admin, email);

        var clash = await admin.SubmitAsync($"Admin/Users/Edit?id={id}", new() { ["Input.Email"] = taken, ["Input.DisplayName"] = "x" });
        var saved = await admin.SubmitAsync($"Admin/Users/Edit?id={id}", new() { ["Input.Email"] = renamed, ["Input.DisplayName"] = "<script>alert(1)</script>" });
        var (_, list) = await admin.GetAsync("Admin/Users?q=" + Uri.EscapeDataString(renamed));
        var (_, details) = await admin.GetAsync($"Admin/Users/Details?id={id}");

        Assert.Contains("Another account already uses this email address.", await clash.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(renamed, ProviderFactory.UserPassword)).Status);
        Assert.Equal("invalid_grant", (await api.PasswordAsync(email, ProviderFactory.UserPassword)).Error);
        Assert.Contains($"Email: {email} → {renamed}", await AuditAsync(admin, "user.updated", renamed), StringComparison.Ordinal);
        Assert.All(new[] { list, details }, html =>
        {
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Delete_AsksForTheAddress_ThenRemovesTheUserAndTheirGrants()
    {
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "delete");
        using var api = fixture.Provider.CreateTokenClient();
        var tokens = await api.PasswordAsync(email, ProviderFactory.UserPassword);
        using var admin = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(admin, email);

        var unconfirmed = await admin.SubmitAsync($"Admin/Users/Delete?id={id}", new() { ["ConfirmEmail"] = "someone-else@example.com" });
        var deleted = await admin.SubmitAsync($"Admin/Users/Delete?id={id}", new() { ["ConfirmEmail"] = email });

        Assert.Contains("Type the user&#x27;s email address to confirm.", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"Admin/Users/Details?id={id}")).Status);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Contains("1 authorization(s) and 2 token(s) revoked", await AuditAsync(admin, "user.deleted", email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_OwnAccount_IsRefused()
    {
        using var admin = await fixture.AdminAsync();
        var id = await AdminFixture.IdOfAsync(admin, ProviderFactory.UserEmail);

        var response = await admin.SubmitAsync($"Admin/Users/Delete?id={id}", new() { ["ConfirmEmail"] = ProviderFactory.UserEmail });

        Assert.Contains("You cannot delete your own account here.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutPassword_InvitesTheUserWhoThenChoosesOne()
    {
        var email = $"invited-{Guid.NewGuid():N}@example.com";
        using var admin = await fixture.AdminAsync();
        using var browser = new FormClient(fixture.Provider);
        using var api = fixture.Provider.CreateTokenClient();

        var created = await admin.SubmitAsync("Admin/Users/Create", new() { ["Input.Email"] = email, ["Input.DisplayName"] = "Invited" });
        var link = FormClient.LinkIn(await MailServer.WaitForMailAsync(email, "Your account is ready"), "ResetPassword");
        Dictionary<string, string> choose = new() { ["Input.Email"] = email, ["Input.Password"] = "my very own passphrase", ["Input.ConfirmPassword"] = "my very own passphrase" };
        var asResetLink = await browser.SubmitAsync(link.Replace("invitation=true", "invitation=false", StringComparison.Ordinal), choose);
        var accepted = await browser.SubmitAsync(link, choose);
        var again = await browser.SubmitAsync(link, choose);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("not valid any more", await asResetLink.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("not valid any more", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.PasswordAsync(email, "my very own passphrase")).Status);
        Assert.Contains("invited to choose a password", await AuditAsync(admin, "user.created", email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithAWeakPasswordOrHostileInput_ReRendersWithMessages()
    {
        using var admin = await fixture.AdminAsync();

        var weak = await admin.SubmitAsync("Admin/Users/Create", new() { ["Input.Email"] = $"weak-{Guid.NewGuid():N}@example.com", ["Input.Password"] = "password" });
        var hostile = await admin.SubmitAsync("Admin/Users/Create", new()
        {
            ["Input.Email"] = "<script>alert(1)</script>",
            ["Input.DisplayName"] = new string('x', 10_000),
        });
        var hostileHtml = await hostile.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("field-error", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, hostile.StatusCode);
        Assert.DoesNotContain("<script>alert(1)</script>", hostileHtml, StringComparison.Ordinal);
    }
}
