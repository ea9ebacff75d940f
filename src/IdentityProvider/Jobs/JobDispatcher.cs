using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Jobs;

/// <summary>
/// Runs the due jobs of one kind, oldest due first, on whichever instance claims them: a claim is an optimistic
/// update of <see cref="IQueuedJob.LockedUntil"/>, so two instances never run the same job, and a claim left by an
/// instance that died lapses after <see cref="LockDuration"/>. An attempt's outcome (sent, retry later, given up) is
/// recorded on the row. When the provider stops, jobs under way finish and are recorded, and no more are claimed.
/// </summary>
internal abstract partial class JobDispatcher<TJob>(
    IServiceScopeFactory scopes, JobSignal<TJob> signal, TimeProvider time, ILogger logger) : BackgroundService
    where TJob : class, IQueuedJob
{
    /// <summary>Longer than any one attempt may take (SMTP and HTTP time out well before).</summary>
    private static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(2);
    private const int BatchSize = 20;
    private const int MaxErrorLength = 2000;

    protected TimeProvider Time => time;

    /// <summary>How often to look for due jobs when no request wakes the dispatcher.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>How many jobs of a batch run at once.</summary>
    protected virtual int Parallelism => 1;

    /// <summary>One attempt; <see cref="IQueuedJob.Attempts"/> already counts it (the claim counted it).</summary>
    protected abstract Task<JobOutcome> AttemptAsync(TJob job, CancellationToken cancellationToken);

    /// <summary>After an attempt's outcome is saved, in the round's scope.</summary>
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
        var now = WholeMilliseconds(time.GetUtcNow());
        // A bounded batch, due first, from the index of waiting jobs: an outage's backlog is never read whole.
        var due = await db.Set<TJob>()
            .Where(job => job.SentAt == null && job.FailedAt == null && job.NextAttemptAt <= now && (job.LockedUntil == null || job.LockedUntil < now))
            .OrderBy(job => job.NextAttemptAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        // The context is shared by the jobs running at once: only one of them uses it at a time.
        using var database = new SemaphoreSlim(1, 1);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (job, _) =>
        {
            // Stopping: what is not claimed yet is left to another instance, or to the next start.
            if (cancellationToken.IsCancellationRequested || await ClaimAsync(db, database, job) is not { } claimedUntil)
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
                Record(job, outcome);
                await SaveOutcomeAsync(db, claimedUntil);
                await RecordedAsync(job, outcome, scope.ServiceProvider);
            }
            finally
            {
                database.Release();
            }
        });

        await AfterRoundAsync(db.Set<TJob>(), cancellationToken);
    }

    /// <summary>Claims the job; null when another instance claimed it first (the save then fails on the claim).</summary>
    private async Task<DateTimeOffset?> ClaimAsync(ApplicationDbContext db, SemaphoreSlim database, TJob job)
    {
        await database.WaitAsync(CancellationToken.None);
        try
        {
            // Whole milliseconds, so the claim (a concurrency token) reads back exactly as written.
            var claimedUntil = WholeMilliseconds(time.GetUtcNow()) + LockDuration;
            job.LockedUntil = claimedUntil;
            job.Attempts++;
            await db.SaveChangesAsync(CancellationToken.None);
            return claimedUntil;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(job).State = EntityState.Detached;
            return null;
        }
        finally
        {
            database.Release();
        }
    }

    private void Record(TJob job, JobOutcome outcome)
    {
        var now = time.GetUtcNow();
        job.LockedUntil = null;
        job.LastError = outcome.Error is { Length: > MaxErrorLength } error ? error[..MaxErrorLength] : outcome.Error;
        if (outcome.Sent)
        {
            job.SentAt = now;
        }
        else if (outcome.RetryAfter is { } delay)
        {
            job.NextAttemptAt = now + delay;
        }
        else
        {
            job.FailedAt = now;
        }
    }

    /// <summary>
    /// Saves an attempt's outcome, waiting out a database outage for as long as this instance's claim on the row lasts:
    /// a job done (a mail the SMTP server accepted) must not be done again because the database could not be told.
    /// Past the claim another instance may have taken the row over, and retrying would gain nothing.
    /// </summary>
    private async Task SaveOutcomeAsync(ApplicationDbContext db, DateTimeOffset claimedUntil)
    {
        while (true)
        {
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (Exception exception) when (DatabaseOutage.IsOutage(exception) && time.GetUtcNow() < claimedUntil)
            {
                LogOutcomeNotSaved(logger, typeof(TJob).Name, exception.Message);
                await Task.Delay(PollInterval, time, CancellationToken.None);
            }
        }
    }

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMillisecond));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Jobs} round failed; retrying at the next poll.")]
    private static partial void LogRoundFailed(ILogger logger, string jobs, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Jobs}: cannot record an attempt's outcome ({Reason}); retrying while this instance's claim lasts.")]
    private static partial void LogOutcomeNotSaved(ILogger logger, string jobs, string reason);
}
