namespace IdentityProvider.Security;

/// <summary>
/// Fixed-window request counters, one per key (an address, an account, a failed sign-in budget). Each window starts
/// with a key's first request and lasts <see cref="RateLimitOptions.Window"/>. Where they live decides what a limit
/// means with several instances: <see cref="PostgresRateLimitCounters"/> are shared by every instance on the
/// database; <see cref="InProcessRateLimitCounters"/> serve the embedded store, which has one instance.
/// </summary>
internal abstract class RateLimitCounters
{
    /// <summary>A key and the requests it may make per window.</summary>
    public readonly record struct Limit(string Key, int Permits);

    /// <summary>Whether a request fit its limit, and when that limit's window ends.</summary>
    public readonly record struct Count(Limit Limit, bool Allowed, DateTimeOffset WindowEnds);

    /// <summary>
    /// Counts one request against every limit at once, each whether or not the others allow it (as a request
    /// refused by one limit still cost the others).
    /// </summary>
    public abstract Task<IReadOnlyList<Count>> TakeAsync(IReadOnlyList<Limit> limits, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Returns an allowed request's permit, if its window has not ended meanwhile.</summary>
    public abstract Task GiveBackAsync(Count taken, CancellationToken cancellationToken);
}
