using System.Collections.Concurrent;

namespace IdentityProvider.Security;

/// <summary>Counters in this process's memory: for the embedded store, which one instance uses.</summary>
internal sealed class InProcessRateLimitCounters(TimeProvider time) : RateLimitCounters
{
    private sealed class Window(DateTimeOffset ends)
    {
        public DateTimeOffset Ends { get; } = ends;

        public int Requests { get; set; }
    }

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public override Task<IReadOnlyList<Count>> TakeAsync(IReadOnlyList<Limit> limits, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        SweepEndedWindows(now, window);
        var counts = new Count[limits.Count];
        for (var i = 0; i < limits.Count; i++)
        {
            // Only one request replaces an ended window; the others count in the one it stored.
            var current = _windows.AddOrUpdate(limits[i].Key,
                _ => new Window(now + window),
                (_, existing) => existing.Ends > now ? existing : new Window(now + window));
            lock (current)
            {
                current.Requests = Math.Min(current.Requests, limits[i].Permits) + 1;
                counts[i] = new Count(limits[i], current.Requests <= limits[i].Permits, current.Ends);
            }
        }

        return Task.FromResult<IReadOnlyList<Count>>(counts);
    }

    public override Task GiveBackAsync(Count taken, CancellationToken cancellationToken)
    {
        if (_windows.TryGetValue(taken.Limit.Key, out var current) && current.Ends == taken.WindowEnds)
        {
            lock (current)
            {
                current.Requests = Math.Max(0, Math.Min(current.Requests, taken.Limit.Permits) - 1);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Once per window length, forgets the windows that have ended.</summary>
    private void SweepEndedWindows(DateTimeOffset now, TimeSpan window)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + window).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var entry in _windows)
        {
            if (entry.Value.Ends <= now)
            {
                _windows.TryRemove(entry);
            }
        }
    }
}
