namespace IdentityProvider.Data;

/// <summary>
/// A background service that deletes stale rows once an hour, each time in a fresh scope (its own
/// DbContext). A failed run is logged and retried at the next tick; it never stops the provider.
/// </summary>
internal abstract partial class HourlyPruning(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected TimeProvider Time => time;

    /// <summary>Deletes what is stale now; returns how many rows went.</summary>
    protected abstract Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken);

    public async Task<int> PruneNowAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await PruneAsync(scope.ServiceProvider, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneNowAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPruneFailed(logger, GetType().Name, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pruning} failed; will retry at the next interval.")]
    private static partial void LogPruneFailed(ILogger logger, string pruning, Exception exception);
}
