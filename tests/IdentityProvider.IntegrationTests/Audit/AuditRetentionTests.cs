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

    [Fact]
    public async Task Pruning_OnTwoInstancesOfOneDatabase_RunsOncePerHour_OnWhicheverAsksFirst()
    {
        var clock = new ShiftedClock();
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var first = new ProviderFactory(database, clock: clock);
        await using var second = new ProviderFactory(database, clock: clock);
        var pruningOnFirst = first.Services.GetServices<IHostedService>().OfType<AuditPruning>().Single();
        var pruningOnSecond = second.Services.GetServices<IHostedService>().OfType<AuditPruning>().Single();

        Assert.True(await pruningOnFirst.PruneIfDueAsync(CancellationToken.None));
        Assert.False(await pruningOnSecond.PruneIfDueAsync(CancellationToken.None));
        Assert.False(await pruningOnFirst.PruneIfDueAsync(CancellationToken.None));

        clock.Offset = TimeSpan.FromMinutes(50);
        Assert.False(await pruningOnSecond.PruneIfDueAsync(CancellationToken.None));

        clock.Offset = TimeSpan.FromMinutes(61);
        var ran = await Task.WhenAll(pruningOnFirst.PruneIfDueAsync(CancellationToken.None), pruningOnSecond.PruneIfDueAsync(CancellationToken.None));
        Assert.Equal(1, ran.Count(run => run));
    }
}
