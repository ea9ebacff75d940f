using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Jobs;

/// <summary>Deletes the jobs of one kind sent or given up more than <see cref="Retention"/> ago, once an hour.</summary>
internal abstract class JobPruning<TJob>(IServiceScopeFactory scopes, TimeProvider time, ILogger logger)
    : HourlyPruning(scopes, time, logger) where TJob : QueuedJob
{
    protected abstract TimeSpan Retention { get; }

    protected override async Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var threshold = Time.GetUtcNow() - Retention;
        return await services.GetRequiredService<ApplicationDbContext>().Set<TJob>()
            .Where(job => job.SentAt < threshold || job.FailedAt < threshold)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
