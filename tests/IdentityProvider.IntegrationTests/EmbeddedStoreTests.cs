using System.Net;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests;

public sealed class EmbeddedStoreTests
{
    [Fact]
    public async Task WithoutPostgres_UsesEmbeddedSqliteFileAndIssuesTokens()
    {
        var folder = Directory.CreateTempSubdirectory("idp-embedded-");
        var path = Path.Combine(folder.FullName, "store.db");
        try
        {
            await using var provider = new ProviderFactory(connectionString: null, new Dictionary<string, string?> { ["Database:EmbeddedPath"] = path });
            using var client = provider.CreateTokenClient();

            var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
            var refreshed = await client.RefreshAsync(tokens.RefreshToken);

            Assert.Equal(HttpStatusCode.OK, refreshed.Status);
            Assert.True(provider.Services.GetRequiredService<DatabaseStore>().IsEmbedded);
            Assert.True(File.Exists(path));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WithoutPostgres_RefreshSentInParallel_IsRedeemedExactlyOnce()
    {
        var folder = Directory.CreateTempSubdirectory("idp-embedded-");
        try
        {
            await using var provider = new ProviderFactory(connectionString: null, new Dictionary<string, string?>
            {
                ["Database:EmbeddedPath"] = Path.Combine(folder.FullName, "store.db"),
                ["Idp:RefreshTokenReuseLeeway"] = "00:00:00",
            });
            using var client = provider.CreateTokenClient();
            var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);

            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => client.RefreshAsync(tokens.RefreshToken))));

            RefreshTokenTests.AssertRedeemedExactlyOnce(responses);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WithoutPostgres_TheAdminListsSearchFilterAndAudit()
    {
        var folder = Directory.CreateTempSubdirectory("idp-embedded-");
        try
        {
            await using var provider = new ProviderFactory(connectionString: null, new Dictionary<string, string?>
            {
                ["Database:EmbeddedPath"] = Path.Combine(folder.FullName, "store.db"),
            });
            using var browser = new FormClient(provider);
            await TestAccounts.SignInAsync(browser);
            var (_, list) = await browser.GetAsync("Admin/Users?q=UNCONF");
            var id = System.Text.RegularExpressions.Regex.Match(list, "Details\\?id=([^\"&]+)").Groups[1].Value;
            await browser.SubmitAsync($"Admin/Users/Details?id={id}", [], action: $"Admin/Users/Details?id={id}&handler=Lock");

            var pages = new[]
            {
                "Admin/Users?filter=locked", "Admin/Users?filter=unconfirmed&sort=name", "Admin/Users?role=admin",
                "Admin/Audit?type=user.locked&from=2000-01-01&to=2999-12-31",
            };
            var answers = new List<(HttpStatusCode Status, string Html)>();
            foreach (var page in pages)
            {
                answers.Add(await browser.GetAsync(page));
            }

            Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
            Assert.Contains(ProviderFactory.UnconfirmedEmail, answers[0].Html, StringComparison.Ordinal);
            Assert.Contains(ProviderFactory.UnconfirmedEmail, answers[1].Html, StringComparison.Ordinal);
            Assert.Contains("1 event(s)", answers[3].Html, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
