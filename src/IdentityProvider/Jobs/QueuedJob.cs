namespace IdentityProvider.Jobs;

/// <summary>
/// A row of work done outside the request that queued it (a mail, a back-channel logout notice): it waits in the
/// database until an instance claims it, and stays there, sent or given up, so nothing is lost on a restart or when
/// the instance that queued it dies. <see cref="JobDispatcher{TJob}"/> runs them.
/// </summary>
public interface IQueuedJob
{
    Guid Id { get; }

    DateTimeOffset CreatedAt { get; }

    int Attempts { get; set; }

    DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Set while one instance holds the job, so that no two instances run it at once.</summary>
    DateTimeOffset? LockedUntil { get; set; }

    DateTimeOffset? SentAt { get; set; }

    /// <summary>Set when the job was given up (too many attempts, or a refusal that retrying cannot change).</summary>
    DateTimeOffset? FailedAt { get; set; }

    string? LastError { get; set; }
}

/// <summary>What one attempt at a job came to.</summary>
public readonly record struct JobOutcome(bool Sent, string? Error, TimeSpan? RetryAfter)
{
    public static JobOutcome Done => new(true, null, null);

    public static JobOutcome Retry(string error, TimeSpan after) => new(false, error, after);

    public static JobOutcome GiveUp(string error) => new(false, error, null);
}
