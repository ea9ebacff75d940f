using System.Net;
using System.Text.RegularExpressions;
using IdentityProvider.Developers;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Admin;

public sealed class AdminInitialAccessTokensTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private async Task<bool> SpendAsync(string token)
    {
        await using var scope = fixture.Provider.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InitialAccessTokens>().TrySpendAsync(token);
    }

    [Fact]
    public async Task Issued_IsShownOnceAndWorks_ThenRevokedFromTheList()
    {
        var partner = "partner-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();

        using var issued = await admin.SubmitAsync("Admin/InitialAccessTokens", new() { ["Name"] = partner, ["ValidForDays"] = "3", ["MaxUses"] = "2" }, handler: "Issue");
        var page = await issued.Content.ReadAsStringAsync();
        var token = Regex.Match(page, "<code id=\"issued-token\">([^<]+)</code>").Groups[1].Value;
        var spent = await SpendAsync(token);
        var (_, list) = await admin.GetAsync("Admin/InitialAccessTokens");
        var row = Regex.Match(list, $"<td>{partner}</td>.*?</tr>", RegexOptions.Singleline).Value;
        var revokeAction = WebUtility.HtmlDecode(Regex.Match(row, "action=\"/([^\"]+)\"").Groups[1].Value);
        using var revoked = await admin.SubmitAsync("Admin/InitialAccessTokens", [], action: revokeAction);
        var (_, after) = await admin.GetAsync("Admin/InitialAccessTokens");

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        // The only copy of the token is never cached (the page holds a form: antiforgery says no-store).
        Assert.True(issued.Headers.CacheControl?.NoStore);
        Assert.StartsWith("iat_", token, StringComparison.Ordinal);
        Assert.True(spent);
        Assert.Contains("<td>1 / 2</td>", row, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Matches($"<td>{partner}</td>.*?<td>revoked</td>", Regex.Replace(after, "\\s+", " "));
        Assert.False(await SpendAsync(token));
    }

    [Fact]
    public async Task OutOfRangeValues_AreRefusedWithTheirFields_AndNothingIsIssued()
    {
        var partner = "greedy-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = await fixture.AdminAsync();

        using var refused = await admin.SubmitAsync("Admin/InitialAccessTokens", new() { ["Name"] = partner, ["ValidForDays"] = "400", ["MaxUses"] = "0" }, handler: "Issue");
        var page = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain("issued-token", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>{partner}</td>", page, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(page, "field-validation-error"));
    }
}
