using System.Net;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityProvider.IntegrationTests;

public sealed class EmbeddedStoreTests
{
    [Fact]
    public async Task WithoutPostgres_UsesEmbeddedSqliteFileAndIssuesTokens_WithinItsLimits()
    {
        var folder = Directory.CreateTempSubdirectory("idp-embedded-");
        var path = Path.Combine(folder.FullName, "store.db");
        try
        {
            var logs = new CapturedLogs();
            await using var provider = new ProviderFactory(connectionString: null, new Dictionary<string, string?>
            {
                ["Database:EmbeddedPath"] = path,
                ["RateLimits:Enabled"] = "true",
                ["RateLimits:TokenRequestsPerIp"] = "3",
            })
            {
                ConfigureServices = services => services.AddSingleton<ILoggerProvider>(logs),
            };
            using var client = provider.CreateTokenClient();

            var tokens = await client.PasswordAsync(ProviderFactory.UserEmail, ProviderFactory.UserPassword);
            var refreshed = await client.RefreshAsync(tokens.RefreshToken);
            var refreshedAgain = await client.RefreshAsync(refreshed.RefreshToken);
            var overTheLimit = await client.RefreshAsync(refreshedAgain.RefreshToken);

            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (refreshed.Status, refreshedAgain.Status));
            // Limits count in memory here: one instance uses an embedded store.
            Assert.Equal(HttpStatusCode.TooManyRequests, overTheLimit.Status);
            Assert.True(provider.Services.GetRequiredService<DatabaseStore>().IsEmbedded);
            Assert.True(File.Exists(path));
            // A new store is made without warnings about its migrations: a newcomer's first run looks healthy.
            Assert.DoesNotContain(logs.Entries, entry => entry.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && entry.Level >= LogLevel.Warning);
            // The hourly pruning's claim works on SQLite's stored times too: the first run is due, a second is not.
            var pruning = provider.Services.GetServices<IHostedService>().OfType<IdentityProvider.Connect.TokenPruning>().Single();
            Assert.Equal((true, false), (await pruning.PruneIfDueAsync(CancellationToken.None), await pruning.PruneIfDueAsync(CancellationToken.None)));
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

    [Fact]
    public async Task UpgradingAnEmbeddedStore_KeepsTheMailQueuedBefore_AndItsTimes()
    {
        var folder = Directory.CreateTempSubdirectory("idp-embedded-");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteDbContext>()
                .UseSqlite($"Data Source={Path.Combine(folder.FullName, "store.db")}").UseOpenIddict().Options;
            var queuedAt = new DateTimeOffset(2026, 11, 30, 15, 3, 14, 123, TimeSpan.Zero);
            await using (var before = new SqliteDbContext(options))
            {
                // The schema of the release before the outbox's times became numbers, and a mail it queued.
                await before.GetService<IMigrator>().MigrateAsync("20261123220306_AuditLogIndexes");
                await before.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"OutboxMessages\" (\"Id\", \"To\", \"Subject\", \"TextBody\", \"HtmlBody\", \"CreatedAt\", \"Attempts\", \"NextAttemptAt\", \"SentAt\") " +
                    "VALUES ('6f9619ff-8b86-d011-b42d-00c04fc964ff', 'a@example.com', 's', 't', 'h', '2026-11-30 15:03:14.123+00:00', 0, '2026-11-30 15:03:14.123+00:00', NULL)");
            }

            await using var after = new SqliteDbContext(options);
            await after.Database.MigrateAsync();
            var due = await after.OutboxMessages.Where(m => m.SentAt == null && m.NextAttemptAt <= queuedAt.AddSeconds(1)).ToListAsync();

            var mail = Assert.Single(due);
            Assert.Equal(queuedAt, mail.CreatedAt);
            Assert.Equal(queuedAt, mail.NextAttemptAt);
            Assert.Null(mail.LockedUntil);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
