using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Security;

/// <summary>Removes the counters of ended windows from PostgreSQL once an hour (the embedded store keeps none).</summary>
internal sealed class RateLimitCounterPruning(IServiceScopeFactory scopes, TimeProvider time, ILogger<RateLimitCounterPruning> logger)
    : HourlyPruning(scopes, time, logger)
{
    private const int BatchSize = 10_000;

    protected override async Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<DatabaseStore>().IsEmbedded)
        {
            return 0;
        }

        // In batches, skipping rows a request holds: the delete never waits for a request that waits for it.
        var db = services.GetRequiredService<ApplicationDbContext>();
        var pruned = 0;
        int batch;
        do
        {
            batch = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM "RateLimitCounters" WHERE "Key" IN (
                    SELECT "Key" FROM "RateLimitCounters" WHERE "WindowEnds" < statement_timestamp()
                    LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                """, cancellationToken);
            pruned += batch;
        }
        while (batch == BatchSize);
        return pruned;
    }
}
