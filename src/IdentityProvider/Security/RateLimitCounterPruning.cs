using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Security;

/// <summary>Removes the counters of ended windows from PostgreSQL once an hour (the embedded store keeps none).</summary>
internal sealed class RateLimitCounterPruning(IServiceScopeFactory scopes, TimeProvider time, ILogger<RateLimitCounterPruning> logger)
    : HourlyPruning(scopes, time, logger)
{
    protected override Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<DatabaseStore>().IsEmbedded
            ? Task.FromResult(0)
            : services.GetRequiredService<ApplicationDbContext>().Set<RateLimitCounter>()
                .Where(counter => counter.WindowEnds < Time.GetUtcNow())
                .ExecuteDeleteAsync(cancellationToken);
}
