using IdentityProvider.Audit;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IdentityProvider.IntegrationTests.Audit;

public sealed class AuditRetentionTests
{
    [Fact]
    public async Task EntriesOlderThanTheRetention_ArePruned_NewerOnesStay()
    {
        var clock = new ShiftedClock();
        await using var provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Audit:Retention"] = "30.00:00:00",
        }, clock);
        using (var scope = provider.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditLog>().WriteAsync(AuditTypes.UserLocked, details: "old");
        }

        clock.Offset = TimeSpan.FromDays(20);
        using (var scope = provider.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditLog>().WriteAsync(AuditTypes.UserUnlocked, details: "new");
        }

        clock.Offset = TimeSpan.FromDays(31);
        var pruning = provider.Services.GetServices<IHostedService>().OfType<AuditPruning>().Single();
        var deleted = await pruning.PruneNowAsync(CancellationToken.None);

        using var check = provider.Services.CreateScope();
        var remaining = check.ServiceProvider.GetRequiredService<IdentityProvider.Data.ApplicationDbContext>().AuditEvents.Select(e => e.Details).ToList();
        Assert.Equal(1, deleted);
        Assert.Equal(["new"], remaining);
    }
}
