using IdentityProvider.LoadTest.Scenarios;

namespace IdentityProvider.LoadTest;

/// <summary>One row: fresh virtual users, a warm-up phase, then the measured phase.</summary>
internal static class RowRunner
{
    public static async Task<RowResult> RunAsync(
        MeasuredTarget measured, IScenario scenario, int concurrency, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var users = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => scenario.CreateUserAsync(measured.Target, concurrency, cancellationToken)));
        try
        {
            if (warmup > TimeSpan.Zero)
            {
                await ClosedLoop.PrepareAsync(users, warmup, cancellationToken);
                await ClosedLoop.RunAsync(users, warmup, cancellationToken);
            }

            await ClosedLoop.PrepareAsync(users, duration, cancellationToken);
            var (loop, usage) = await measured.Measurement.MeasureAsync(() => ClosedLoop.RunAsync(users, duration, cancellationToken), cancellationToken);
            return new RowResult(scenario.Name, concurrency, loop, usage);
        }
        finally
        {
            foreach (var user in users)
            {
                user.Dispose();
            }
        }
    }
}
