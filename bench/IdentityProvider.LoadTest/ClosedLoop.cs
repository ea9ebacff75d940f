using System.Diagnostics;
using IdentityProvider.LoadTest.Scenarios;

namespace IdentityProvider.LoadTest;

/// <summary>What the virtual users of one phase got: every answer's latency and the errors by code.</summary>
internal sealed record LoopResult(long[] SortedLatencyTicks, int Requests, IReadOnlyDictionary<string, int> Errors, TimeSpan Elapsed);

/// <summary>Runs virtual users side by side, each sending its next request as soon as its previous one answered.</summary>
internal static class ClosedLoop
{
    public static Task PrepareAsync(IReadOnlyList<IVirtualUser> users, TimeSpan phase, CancellationToken cancellationToken) =>
        Task.WhenAll(users.Select(user => user.PrepareAsync(phase, cancellationToken)));

    /// <summary>Until the duration is over or every user has run out of requests, whichever comes first.</summary>
    public static async Task<LoopResult> RunAsync(IReadOnlyList<IVirtualUser> users, TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(users.Select(user => Task.Run(() => RunUserAsync(user, started, duration, cancellationToken), cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var latencies = results.SelectMany(result => result.Latencies).Order().ToArray();
        var errors = results.SelectMany(result => result.Errors)
            .GroupBy(error => error.Key)
            .ToDictionary(group => group.Key, group => group.Sum(error => error.Value));
        return new LoopResult(latencies, results.Sum(result => result.Requests), errors, elapsed);
    }

    private sealed record UserResult(List<long> Latencies, Dictionary<string, int> Errors, int Requests);

    private static async Task<UserResult> RunUserAsync(IVirtualUser user, long started, TimeSpan duration, CancellationToken cancellationToken)
    {
        var latencies = new List<long>();
        var errors = new Dictionary<string, int>();
        var requests = 0;
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            string? error;
            try
            {
                if (await user.SendAsync(cancellationToken) is not { } answer)
                {
                    break;
                }

                latencies.Add(answer.ElapsedTicks);
                error = answer.Error;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                error = exception.GetType().Name;
            }

            requests++;
            if (error is not null)
            {
                errors[error] = errors.GetValueOrDefault(error) + 1;
            }
        }

        return new UserResult(latencies, errors, requests);
    }
}
