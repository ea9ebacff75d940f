using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Admin;

public sealed class AdminRolesTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private static async Task<string> RoleIdAsync(FormClient admin, string name)
    {
        var (_, list) = await admin.GetAsync("Admin/Roles");
        return Regex.Match(list, $"Details\\?id=([^\"&]+)\">{Regex.Escape(name)}<") is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"Role {name} is not listed.");
    }

    [Fact]
    public async Task CreateRenameAndDelete_AreAudited_AndDuplicatesRefused()
    {
        var name = "editors-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();

        await admin.SubmitAsync("Admin/Roles", new() { ["NewRole"] = name });
        var duplicate = await admin.SubmitAsync("Admin/Roles", new() { ["NewRole"] = name });
        var id = await RoleIdAsync(admin, name);
        await admin.SubmitAsync($"Admin/Roles/Details?id={id}", new() { ["Name"] = name + "-x" }, handler: "Rename");
        var deleted = await admin.SubmitAsync($"Admin/Roles/Details?id={id}", [], handler: "Delete");
        var (_, audit) = await admin.GetAsync("Admin/Audit");

        Assert.Contains("A role with this name exists already.", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var decoded = WebUtility.HtmlDecode(audit);
        Assert.Contains($"Role: {name} → {name}-x", decoded, StringComparison.Ordinal);
        Assert.Contains($"Role: {name}-x; 0 member(s)", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WhileAssigned_AsksForConfirmation_ThenRemovesItFromItsMembers()
    {
        var name = "support-" + Guid.NewGuid().ToString("N")[..6];
        var email = await TestAccounts.CreateConfirmedAsync(fixture.Provider, "member");
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        await admin.SubmitAsync("Admin/Roles", new() { ["NewRole"] = name });
        var userId = await AdminFixture.IdOfAsync(admin, email);
        await AdminFixture.ActAsync(admin, userId, "AddRole", new() { ["role"] = name });
        var id = await RoleIdAsync(admin, name);

        var refused = await admin.SubmitAsync($"Admin/Roles/Details?id={id}", [], handler: "Delete");
        var (_, details) = await admin.GetAsync($"Admin/Roles/Details?id={id}");
        var confirmed = await admin.SubmitAsync($"Admin/Roles/Details?id={id}", new() { ["ConfirmDelete"] = "true" }, handler: "Delete");

        Assert.Contains("still has 1 member(s)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(email, details, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.DoesNotContain((await api.PasswordAsync(email, ProviderFactory.UserPassword)).ReadAccessToken().Claims, claim => claim.Type == "role");
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("")]
    public async Task Create_WithAnInvalidName_ReRendersWithAMessage(string name)
    {
        using var admin = await fixture.AdminAsync();

        var response = await admin.SubmitAsync("Admin/Roles", new() { ["NewRole"] = name + new string('x', name.Length > 0 ? 10_000 : 0) });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("field-error", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }
}
