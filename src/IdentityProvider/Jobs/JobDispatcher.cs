using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Jobs;

/// <summary>
/// Runs the due jobs of one kind, oldest due first, on whichever instance claims them: a claim is a conditional
/// update of <see cref="QueuedJob.LockedUntil"/> on a row still due and unclaimed, so two instances never run the
/// same job at once, and a claim left by an instance that died lapses after <see cref="LockDuration"/>. An attempt's outcome (sent, retry later, given up) is
/// recorded on the row. When the provider stops, jobs under way finish and are recorded, and no more are claimed.
/// </summary>
internal abstract partial class JobDispatcher<TJob>(
    IServiceScopeFactory scopes, JobSignal<TJob> signal, TimeProvider time, ILogger logger) : BackgroundService
    where TJob : QueuedJob
{
    /// <summary>Longer than any one attempt may take (SMTP and HTTP time out well before).</summary>
    private static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(2);
    protected const int BatchSize = 20;

    protected TimeProvider Time => time;

    /// <summary>How often to look for due jobs when no request wakes the dispatcher.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>How many jobs of a batch run at once.</summary>
    protected virtual int Parallelism => 1;

    /// <summary>One attempt; <see cref="QueuedJob.Attempts"/> already counts it (the claim counted it).</summary>
    protected abstract Task<JobOutcome> AttemptAsync(TJob job, CancellationToken cancellationToken);

    /// <summary>After an attempt's outcome is recorded, in the round's scope.</summary>
    protected virtual Task RecordedAsync(TJob job, JobOutcome outcome, IServiceProvider services) => Task.CompletedTask;

    /// <summary>After each round, in its scope.</summary>
    protected virtual Task AfterRoundAsync(IQueryable<TJob> jobs, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // E.g. the database is briefly unreachable: the next round retries.
                LogRoundFailed(logger, typeof(TJob).Name, exception);
            }

            try
            {
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task RunDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        // A bounded batch, due first, from the index of waiting jobs: an outage's backlog is never read whole.
        var due = await Due(db.Set<TJob>(), time.GetUtcNow())
            .OrderBy(job => job.NextAttemptAt)
            .Take(BatchSize)
            .Select(job => job.Id)
            .ToListAsync(cancellationToken);

        // The context is shared by the jobs running at once: only one of them uses it at a time.
        using var database = new SemaphoreSlim(1, 1);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (id, _) =>
        {
            // Stopping: what is not claimed yet is left to another instance, or to the next start.
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await database.WaitAsync(CancellationToken.None);
            TJob? job;
            try
            {
                job = await ClaimAsync(db, id);
            }
            finally
            {
                database.Release();
            }

            if (job is null)
            {
                return;
            }

            // A job under way is finished and recorded even when the provider is stopping: cut off, it would leave its
            // claim behind (the job then waits for the claim to lapse) or a job done but unrecorded (done twice). The
            // host's shutdown timeout still bounds the wait.
            var outcome = await AttemptAsync(job, CancellationToken.None);
            await database.WaitAsync(CancellationToken.None);
            try
            {
                await RecordAsync(db, job, outcome);
                await RecordedAsync(job, outcome, scope.ServiceProvider);
            }
            finally
            {
                database.Release();
            }
        });

        await AfterRoundAsync(db.Set<TJob>(), cancellationToken);
    }

    private static IQueryable<TJob> Due(IQueryable<TJob> jobs, DateTimeOffset now) => jobs.Where(job =>
        job.SentAt == null && job.FailedAt == null && job.NextAttemptAt <= now && (job.LockedUntil == null || job.LockedUntil < now));

    /// <summary>
    /// Claims the job if it is still due and unclaimed (one conditional update: a job another instance ran or claimed
    /// since the batch was read is left alone) and reads it back, its attempt counted; null when it was not claimed.
    /// </summary>
    private async Task<TJob?> ClaimAsync(ApplicationDbContext db, Guid id)
    {
        var now = time.GetUtcNow();
        // Whole milliseconds, so that the claim compares equal when read back from any store.
        DateTimeOffset? claimedUntil = WholeMilliseconds(now) + LockDuration;
        var claimed = await Due(db.Set<TJob>().Where(job => job.Id == id), now).ExecuteUpdateAsync(job => job
            .SetProperty(j => j.LockedUntil, claimedUntil)
            .SetProperty(j => j.Attempts, j => j.Attempts + 1), CancellationToken.None);
        return claimed == 0
            ? null
            : await db.Set<TJob>().AsNoTracking().SingleAsync(job => job.Id == id && job.LockedUntil == claimedUntil, CancellationToken.None);
    }

    /// <summary>
    /// Records an attempt's outcome on the row this instance still claims, waiting out a database outage for as long as
    /// the claim lasts: a job done (a mail the SMTP server accepted) must not be done again because the database could
    /// not be told. Past the claim another instance may have taken the row over, and retrying would gain nothing.
    /// </summary>
    private async Task RecordAsync(ApplicationDbContext db, TJob job, JobOutcome outcome)
    {
        var claimedUntil = job.LockedUntil;
        var error = outcome.Error?[..Math.Min(outcome.Error.Length, QueuedJob.MaxErrorLength)];
        while (true)
        {
            var now = time.GetUtcNow();
            try
            {
                var recorded = await db.Set<TJob>().Where(j => j.Id == job.Id && j.LockedUntil == claimedUntil).ExecuteUpdateAsync(set =>
                {
                    set.SetProperty(j => j.LockedUntil, (DateTimeOffset?)null).SetProperty(j => j.LastError, error);
                    if (outcome.Sent)
                    {
                        set.SetProperty(j => j.SentAt, now);
                    }
                    else if (outcome.RetryAfter is { } delay)
                    {
                        set.SetProperty(j => j.NextAttemptAt, now + delay);
                    }
                    else
                    {
                        set.SetProperty(j => j.FailedAt, now);
                    }
                }, CancellationToken.None);
                if (recorded == 0)
                {
                    LogClaimLost(logger, typeof(TJob).Name, job.Id);
                }

                return;
            }
            catch (Exception exception) when (DatabaseOutage.IsOutage(exception) && now < claimedUntil)
            {
                LogOutcomeNotSaved(logger, typeof(TJob).Name, exception.Message);
                await Task.Delay(PollInterval, time, CancellationToken.None);
            }
        }
    }

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMillisecond));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Jobs} round failed; retrying at the next poll.")]
    private static partial void LogRoundFailed(ILogger logger, string jobs, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Jobs}: the claim on {JobId} lapsed before its outcome was recorded; another instance may run it again.")]
    private static partial void LogClaimLost(ILogger logger, string jobs, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Jobs}: cannot record an attempt's outcome ({Reason}); retrying while this instance's claim lasts.")]
    private static partial void LogOutcomeNotSaved(ILogger logger, string jobs, string reason);
}
