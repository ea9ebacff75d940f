using System.Globalization;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Email;

public sealed class OutboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<Dictionary<string, string?>> SmtpSettingsAsync(int? port = null)
    {
        var (host, realPort) = await MailServer.SmtpAsync();
        return new()
        {
            ["Email:Smtp:Host"] = host,
            ["Email:Smtp:Port"] = (port ?? realPort).ToString(CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:From"] = "IdentityProvider <no-reply@idp.test>",
            ["Email:RetryDelay"] = "00:00:00.200",
            ["Email:PollInterval"] = "00:00:00.200",
        };
    }

    private static async Task SendResetLinkAsync(ProviderFactory provider, string to, string displayName = "Alice")
    {
        await using var scope = provider.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<IEmailSender<ApplicationUser>>();
        await sender.SendPasswordResetLinkAsync(
            new ApplicationUser { Email = to, DisplayName = displayName }, to, "https://idp.test/Account/ResetPassword?code=abc&email=x");
    }

    private static async Task<T> WaitForAsync<T>(ProviderFactory provider, Func<ApplicationDbContext, Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await using var scope = provider.Services.CreateAsyncScope();
            if (await probe(scope.ServiceProvider.GetRequiredService<ApplicationDbContext>()) is { } result)
            {
                return result;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The outbox never reached the expected state.");
    }

    [Fact]
    public async Task Stopping_WhileAMailIsBeingDelivered_FinishesAndRecordsIt_LeavingNoClaim()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var provider = new ProviderFactory(database, await SmtpSettingsAsync());
        var to = $"stopping-{Guid.NewGuid():N}@example.com";
        using var hold = MailServer.Hold(to);
        await SendResetLinkAsync(provider, to);
        await hold.Arrived.WaitAsync(Patience);

        // The provider is told to stop while the SMTP server keeps the mail unanswered.
        var stopping = provider.DisposeAsync().AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(stopping.IsCompleted, "The provider stopped before the delivery under way was answered.");
        hold.Release();
        await stopping.WaitAsync(Patience);

        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var row = new Npgsql.NpgsqlCommand("""SELECT "SentAt" IS NOT NULL, "LockedUntil" IS NULL FROM "OutboxMessages" WHERE "To" = @to""", connection);
        row.Parameters.AddWithValue("to", to);
        await using var reader = await row.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((true, true), (reader.GetBoolean(0), reader.GetBoolean(1)));
        Assert.Equal(1, await MailServer.CountMailsToAsync(to));
    }

    [Fact]
    public async Task TwoInstances_SendEachMailOnce_EvenWhenOneResumesABatchTheOtherHasSentMeanwhile()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var first = new ProviderFactory(database, await SmtpSettingsAsync());
        await using var second = new ProviderFactory(database, await SmtpSettingsAsync());
        var held = $"held-{Guid.NewGuid():N}@example.com";
        var others = Enumerable.Range(0, 8).Select(i => $"batch{i}-{Guid.NewGuid():N}@example.com").ToList();
        using var hold = MailServer.Hold(held);
        await using (var scope = first.Services.CreateAsyncScope())
        {
            // Both instances read the same batch; the held mail is due first, so whichever claims it waits on it while
            // the other sends the rest, and then goes on with a batch it read before they were sent.
            var now = DateTimeOffset.UtcNow;
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            db.OutboxMessages.AddRange(others.Prepend(held).Select((to, i) => new IdentityProvider.Email.OutboxMessage
            {
                To = to, Subject = "Batch", TextBody = "text", HtmlBody = "<p>html</p>", CreatedAt = now, NextAttemptAt = now.AddSeconds(i - 60),
            }));
            await db.SaveChangesAsync();
        }

        _ = (first.Server, second.Server);
        await hold.Arrived.WaitAsync(Patience);
        foreach (var to in others)
        {
            await MailServer.WaitForMailAsync(to);
        }

        hold.Release();
        await MailServer.WaitForMailAsync(held);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var copies = await Task.WhenAll(others.Prepend(held).Select(MailServer.CountMailsToAsync));
        Assert.All(copies, count => Assert.Equal(1, count));
        await using var check = first.Services.CreateAsyncScope();
        var attempts = await check.ServiceProvider.GetRequiredService<ApplicationDbContext>().OutboxMessages
            .Where(m => m.Subject == "Batch").Select(m => m.Attempts).ToListAsync();
        Assert.All(attempts, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task SentMail_IsDeletedWithItsLinksAfterTheRetention_WaitingMailStays()
    {
        var clock = new ShiftedClock();
        var settings = await SmtpSettingsAsync();
        settings["Email:OutboxRetention"] = "1.00:00:00";
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), settings, clock);
        await SendResetLinkAsync(provider, "pruned@example.com");
        await WaitForAsync(provider, db => db.OutboxMessages.FirstOrDefaultAsync(m => m.To == "pruned@example.com" && m.SentAt != null));
        await using (var scope = provider.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            db.OutboxMessages.Add(new IdentityProvider.Email.OutboxMessage
            {
                To = "waiting@example.com", Subject = "s", TextBody = "t", HtmlBody = "h",
                CreatedAt = clock.GetUtcNow(), NextAttemptAt = clock.GetUtcNow().AddDays(30),
            });
            await db.SaveChangesAsync();
        }

        clock.Offset = TimeSpan.FromHours(23);
        var pruning = provider.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<IdentityProvider.Email.OutboxPruning>().Single();
        var tooSoon = await pruning.PruneNowAsync(CancellationToken.None);
        clock.Offset = TimeSpan.FromHours(25);
        var deleted = await pruning.PruneNowAsync(CancellationToken.None);

        await using var check = provider.Services.CreateAsyncScope();
        var remaining = await check.ServiceProvider.GetRequiredService<ApplicationDbContext>().OutboxMessages.Select(m => m.To).ToListAsync();
        Assert.Equal(0, tooSoon);
        Assert.Equal(1, deleted);
        Assert.Equal(["waiting@example.com"], remaining);
    }

    [Fact]
    public async Task ResetLink_IsDeliveredOverSmtpAsTextAndEncodedHtml()
    {
        var to = $"reset-{Guid.NewGuid():N}@example.com";
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), await SmtpSettingsAsync());

        await SendResetLinkAsync(provider, to, displayName: "<script>alert(1)</script>");
        var mail = await MailServer.WaitForMailAsync(to);

        Assert.Equal("Reset your password", mail.Subject);
        Assert.Contains("https://idp.test/Account/ResetPassword?code=abc&email=x", mail.Text, StringComparison.Ordinal);
        Assert.Contains("code=abc&amp;email=x", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        var row = await WaitForAsync(provider, db => db.OutboxMessages.SingleOrDefaultAsync(m => m.To == to && m.SentAt != null));
        Assert.Equal(1, row.Attempts);
    }

    [Fact]
    public async Task SmtpDown_MailWaitsInOutboxAndIsDeliveredOnceSmtpIsBack()
    {
        var to = $"outage-{Guid.NewGuid():N}@example.com";
        var (host, port) = await MailServer.SmtpAsync();
        await using var relay = new TcpRelay(host, port);
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), await SmtpSettingsAsync(relay.Port));

        await SendResetLinkAsync(provider, to);
        var failed = await WaitForAsync(provider, db => db.OutboxMessages.SingleOrDefaultAsync(m => m.To == to && m.Attempts >= 2));
        Assert.Null(failed.SentAt);
        Assert.NotNull(failed.LastError);
        Assert.Equal(0, await MailServer.CountMailsToAsync(to));

        relay.Start();

        var mail = await MailServer.WaitForMailAsync(to);
        Assert.Equal("Reset your password", mail.Subject);
        await WaitForAsync(provider, db => db.OutboxMessages.SingleOrDefaultAsync(m => m.To == to && m.SentAt != null));
    }

    [Fact]
    public async Task MailQueuedBeforeRestart_IsDeliveredByTheNextInstance()
    {
        var to = $"restart-{Guid.NewGuid():N}@example.com";
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var (host, port) = await MailServer.SmtpAsync();
        await using (var relay = new TcpRelay(host, port))
        await using (var before = new ProviderFactory(connectionString, await SmtpSettingsAsync(relay.Port)))
        {
            await SendResetLinkAsync(before, to);
            await WaitForAsync(before, db => db.OutboxMessages.SingleOrDefaultAsync(m => m.To == to && m.Attempts >= 1));
        }

        // Later, whenever that is: past any retry back-off and any claim the stopped instance still held.
        await using var after = new ProviderFactory(connectionString, await SmtpSettingsAsync(), new ShiftedClock { Offset = TimeSpan.FromHours(1) });
        _ = after.Server;

        Assert.Equal("Reset your password", (await MailServer.WaitForMailAsync(to)).Subject);
    }

    [Fact]
    public async Task SmtpNeverBack_MailIsRecordedAsFailedAfterMaxAttempts()
    {
        var to = $"failed-{Guid.NewGuid():N}@example.com";
        var (host, port) = await MailServer.SmtpAsync();
        await using var relay = new TcpRelay(host, port);
        var settings = await SmtpSettingsAsync(relay.Port);
        settings["Email:MaxAttempts"] = "2";
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), settings);

        await SendResetLinkAsync(provider, to);

        var row = await WaitForAsync(provider, db => db.OutboxMessages.SingleOrDefaultAsync(m => m.To == to && m.FailedAt != null));
        var audit = await WaitForAsync(provider, db => db.AuditEvents.SingleOrDefaultAsync(a => a.Type == "mail.failed" && a.Details!.Contains(to)));
        Assert.Equal(2, row.Attempts);
        Assert.Null(row.SentAt);
        Assert.False(string.IsNullOrEmpty(row.LastError));
        Assert.Contains("after 2 attempt(s)", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutSmtp_MailIsWrittenAsEmlFile()
    {
        var folder = Directory.CreateTempSubdirectory("idp-mail-");
        try
        {
            await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
            {
                ["Email:PickupDirectory"] = folder.FullName,
                ["Email:PollInterval"] = "00:00:00.200",
            });

            await SendResetLinkAsync(provider, "pickup@example.com");

            var deadline = DateTime.UtcNow + Patience;
            while (folder.GetFiles("*.eml").Length == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            var eml = await File.ReadAllTextAsync(Assert.Single(folder.GetFiles("*.eml")).FullName);
            Assert.Contains("Subject: Reset your password", eml, StringComparison.Ordinal);
            Assert.Contains("To: pickup@example.com", eml, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
