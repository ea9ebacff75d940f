namespace IdentityProvider.Jobs;

/// <summary>
/// A row of work done outside the request that queued it (a mail, a back-channel logout notice): it waits in the
/// database until an instance claims it, and stays there, sent or given up, so nothing is lost on a restart or when
/// the instance that queued it dies. <see cref="JobDispatcher{TJob}"/> runs them.
/// </summary>
public abstract class QueuedJob
{
    public const int MaxErrorLength = 2000;

    public Guid Id { get; init; } = Guid.NewGuid();

    public DateTimeOffset CreatedAt { get; init; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Set while one instance holds the job, so that no two instances run it at once.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Set when the job was given up (too many attempts, or a refusal that retrying cannot change).</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>What one attempt at a job came to.</summary>
public readonly record struct JobOutcome(bool Sent, string? Error, TimeSpan? RetryAfter)
{
    public static JobOutcome Done => new(true, null, null);

    public static JobOutcome Retry(string error, TimeSpan after) => new(false, error, after);

    public static JobOutcome GiveUp(string error) => new(false, error, null);

    public bool GivenUp => !Sent && RetryAfter is null;
}
