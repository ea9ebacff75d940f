using IdentityProvider.Audit;
using IdentityProvider.Data;
using IdentityProvider.Developers;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Developers;

/// <summary>The tokens that let an app register itself (RFC 7591 §3), as the CLI issues them and registration spends them.</summary>
public sealed class InitialAccessTokenTests
{
    private static async Task<bool> SpendAsync(ProviderFactory provider, string? token)
    {
        await using var scope = provider.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InitialAccessTokens>().TrySpendAsync(token);
    }

    [Fact]
    public async Task IssuedFromTheCommandLine_ShownOnce_ListedWithoutIt_AndRevoked()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database, ["Idp__Issuer"] = "https://idp.test/" };

        var issued = await CommandLine.RunAsync(environment, "initial-access-tokens", "issue", "Partner Inc.", "--expires-in", "2.00:00:00", "--max-uses", "2");
        var token = issued.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        var id = issued.Output.Split(' ', ':')[1];
        var listed = await CommandLine.RunAsync(environment, "initial-access-tokens", "list");
        var revoked = await CommandLine.RunAsync(environment, "initial-access-tokens", "revoke", id);
        var revokedAgain = await CommandLine.RunAsync(environment, "initial-access-tokens", "revoke", id);
        var listedAfter = await CommandLine.RunAsync(environment, "initial-access-tokens", "list");
        var tooMany = await CommandLine.RunAsync(environment, "initial-access-tokens", "issue", "Greedy", "--max-uses", "0");
        var tooLongName = await CommandLine.RunAsync(environment, "initial-access-tokens", "issue", new string('n', 201));

        Assert.True(issued.ExitCode == 0, issued.Error);
        Assert.StartsWith("iat_", token, StringComparison.Ordinal);
        Assert.Contains($"{id}\tPartner Inc.\t0/2\t", listed.Output, StringComparison.Ordinal);
        Assert.EndsWith("active", listed.Output.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed.Output, StringComparison.Ordinal);
        Assert.Equal((0, 1), (revoked.ExitCode, revokedAgain.ExitCode));
        Assert.EndsWith("revoked", listedAfter.Output.Trim(), StringComparison.Ordinal);
        Assert.NotEqual(0, tooMany.ExitCode);
        Assert.Equal(1, tooLongName.ExitCode);
        Assert.Contains("at most 200 characters", tooLongName.Error, StringComparison.Ordinal);
        await using var provider = new ProviderFactory(database);
        Assert.False(await SpendAsync(provider, token));
        await using var scope = provider.Services.CreateAsyncScope();
        var audited = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditEvents
            .Where(e => e.Type == AuditTypes.InitialAccessTokenIssued || e.Type == AuditTypes.InitialAccessTokenRevoked)
            .Select(e => e.Type).ToListAsync();
        Assert.Equal(2, audited.Count);
    }

    [Fact]
    public async Task SpentAtOnce_AllowsNoMoreThanItsUses_AndNothingOnceExpiredOrForged()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), clock: clock);
        string token;
        string other;
        await using (var scope = provider.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<InitialAccessTokens>();
            token = (await tokens.IssueAsync("three", TimeSpan.FromDays(1), maxUses: 3)).Token;
            other = (await tokens.IssueAsync("one", TimeSpan.FromHours(1), maxUses: 1)).Token;
        }

        var spent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => SpendAsync(provider, token))));
        clock.Offset = TimeSpan.FromHours(2);
        var expired = await SpendAsync(provider, other);
        var forged = await Task.WhenAll(new[] { null, "", "iat_", "iat_" + new string('A', 43), other[..^1] + "B", other.ToUpperInvariant() }
            .Select(candidate => SpendAsync(provider, candidate)));

        Assert.Equal(3, spent.Count(ok => ok));
        Assert.False(expired);
        Assert.All(forged, Assert.False);
    }
}
