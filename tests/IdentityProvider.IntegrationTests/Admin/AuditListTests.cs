using IdentityProvider.Audit;
using IdentityProvider.Data;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Admin;

public sealed class AuditListTests
{
    [Fact]
    public async Task ALargeLog_IsCountedUpToTheLimit_AndAUserFilterFindsTheFewEntriesOfOne()
    {
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync());
        using (var scope = provider.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var start = DateTimeOffset.UtcNow.AddDays(-1);
            var count = Pages.Admin.Audit.IndexModel.CountLimit + 5;

            // One statement: as tracked entities, ten thousand rows cost more CPU than the rest of the test.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "AuditEvents" ("At", "Type", "UserEmail")
                SELECT {start} + i * interval '1 second', {AuditTypes.SignInSucceeded},
                       CASE WHEN i % 5000 = 0 THEN 'Needle.User@example.com' ELSE 'user' || i || '@example.com' END
                FROM generate_series(0, {count - 1}) AS i
                """);
        }

        using var admin = new FormClient(provider);
        await TestAccounts.SignInAsync(admin);
        var (_, all) = await admin.GetAsync("Admin/Audit");
        var (_, deepest) = await admin.GetAsync("Admin/Audit?p=999999");
        var (_, needle) = await admin.GetAsync("Admin/Audit?user=needle.user%40EXAMPLE");
        var (_, wildcard) = await admin.GetAsync("Admin/Audit?user=needle_user");

        Assert.Contains("More than 10,000 event(s) · page 1 of 200", all, StringComparison.Ordinal);
        Assert.Contains("narrow the filters or the dates", all, StringComparison.Ordinal);
        Assert.Contains("page 200 of 200", deepest, StringComparison.Ordinal);
        Assert.Contains("3 event(s) · page 1 of 1", needle, StringComparison.Ordinal);
        Assert.Contains("0 event(s)", wildcard, StringComparison.Ordinal);
    }
}
