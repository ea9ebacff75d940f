using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Data;

/// <summary>
/// A background service that deletes stale rows once an hour, each time in a fresh scope (its own DbContext). However
/// many instances share the database, one of them runs it per hour: each claims the job's <see cref="ScheduledJob"/>
/// row first, and only a claim an hour after the last start succeeds. A failed run is logged and retried at the next
/// tick; it never stops the provider.
/// </summary>
internal abstract partial class HourlyPruning(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    // An instance whose timer fires a moment before the hour is up still takes its turn.
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    protected TimeProvider Time => time;

    /// <summary>Deletes what is stale now; returns how many rows went.</summary>
    protected abstract Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken);

    public async Task<int> PruneNowAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await PruneAsync(scope.ServiceProvider, cancellationToken);
    }

    /// <summary>Prunes if no instance has started this job within the interval; false when another one has.</summary>
    public async Task<bool> PruneIfDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var name = GetType().Name;
        if (!await db.ScheduledJobs.AnyAsync(job => job.Name == name, cancellationToken))
        {
            db.ScheduledJobs.Add(new ScheduledJob { Name = name, LastStartedAt = DateTimeOffset.UnixEpoch });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance added it first.
                db.ChangeTracker.Clear();
            }
        }

        var now = time.GetUtcNow();
        var lastStartBefore = now - Interval + Slack;
        var claimed = await db.ScheduledJobs
            .Where(job => job.Name == name && job.LastStartedAt <= lastStartBefore)
            .ExecuteUpdateAsync(job => job.SetProperty(j => j.LastStartedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        await PruneAsync(scope.ServiceProvider, cancellationToken);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneIfDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPruneFailed(logger, GetType().Name, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pruning} failed; will retry at the next interval.")]
    private static partial void LogPruneFailed(ILogger logger, string pruning, Exception exception);
}
