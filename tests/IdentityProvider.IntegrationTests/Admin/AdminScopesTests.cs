using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityProvider.IntegrationTests.Admin;

public sealed partial class AdminScopesTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Create_ThenDuplicate_IsRefused_AndTheScopeIsListed()
    {
        var name = "orders." + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();

        var created = await admin.SubmitAsync("Admin/Scopes/Edit", new()
        {
            ["Input.Name"] = name, ["Input.DisplayName"] = "Orders", ["Input.Description"] = "Read your orders", ["Input.Resources"] = "orders-api",
        });
        var duplicate = await admin.SubmitAsync("Admin/Scopes/Edit", new() { ["Input.Name"] = name });
        var (_, list) = await admin.GetAsync("Admin/Scopes");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("A scope with this name exists already.", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Read your orders", list, StringComparison.Ordinal);
        Assert.Contains("orders-api", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditedResources_BecomeTheAudiencesOfTheNextAccessToken()
    {
        using var admin = await fixture.AdminAsync();
        using var api = fixture.Provider.CreateTokenClient();
        // Scopes are cached by name (Connect/CachedScopeStore): a token before the edit fills the cache.
        var before = (await api.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword, scope: "api")).ReadAccessToken();

        await admin.SubmitAsync("Admin/Scopes/Edit?name=api", new() { ["Input.DisplayName"] = "API", ["Input.Resources"] = "orders-api reports-api" });
        var token = (await api.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword, scope: "api")).ReadAccessToken();
        var (_, audit) = await admin.GetAsync("Admin/Audit?type=scope.updated");

        Assert.DoesNotContain("reports-api", before.Audiences);
        Assert.Contains("orders-api", token.Audiences);
        Assert.Contains("reports-api", token.Audiences);
        Assert.Contains("Scope: api; DisplayName: ", audit, StringComparison.Ordinal);
        Assert.Contains("Resources: orders-api → orders-api reports-api", System.Net.WebUtility.HtmlDecode(audit), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("quote\"d")]
    [InlineData("<script>alert(1)</script>")]
    public async Task Create_WithAnInvalidName_ReRendersWithAMessage(string name)
    {
        using var admin = await fixture.AdminAsync();

        var response = await admin.SubmitAsync("Admin/Scopes/Edit", new() { ["Input.Name"] = name, ["Input.Description"] = new string('x', 10_000) });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("field-error", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_IsPagedByTheDatabase_AndThePagesTogetherListEveryScopeOnce()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using (var scope = fixture.Provider.Services.CreateScope())
        {
            var scopes = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
            for (var i = 0; i < 11; i++)
            {
                await scopes.CreateAsync(new OpenIddictScopeDescriptor { Name = $"paged.{tag}.{i:D2}" });
            }
        }

        using var admin = await fixture.AdminAsync();
        await AdminFixture.AssertPagedAsync(admin, "Admin/Scopes", "scope", ScopeLink(), $"paged.{tag}.", added: 11);
    }

    [GeneratedRegex("Edit\\?name=([^\"&]+)\"")]
    private static partial Regex ScopeLink();
}
