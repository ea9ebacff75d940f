using System.Diagnostics;

namespace IdentityProvider.LoadTest;

/// <summary>One scenario at one concurrency against one target, and the figures the tables print.</summary>
internal sealed record RowResult(string Scenario, int Concurrency, LoopResult Loop, ResourceUsage Usage)
{
    public double RequestsPerSecond => Loop.Requests / Loop.Elapsed.TotalSeconds;

    public int ErrorCount => Loop.Errors.Values.Sum();

    /// <summary>Nearest-rank percentile of the answers' latencies, in milliseconds.</summary>
    public double? LatencyMilliseconds(double percentile) =>
        Loop.SortedLatencyTicks is { Length: > 0 } latencies
            ? latencies[Math.Clamp((int)Math.Ceiling(percentile / 100 * latencies.Length) - 1, 0, latencies.Length - 1)] * 1000.0 / Stopwatch.Frequency
            : null;

    public double? PerRequest(double? total) => total is { } value && Loop.Requests > 0 ? value / Loop.Requests : null;
}
