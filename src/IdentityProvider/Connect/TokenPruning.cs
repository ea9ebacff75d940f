using OpenIddict.Abstractions;

namespace IdentityProvider.Connect;

/// <summary>Removes expired and revoked tokens and authorizations once an hour.</summary>
internal sealed partial class TokenPruning(IServiceScopeFactory scopes, TimeProvider time, ILogger<TokenPruning> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // Keep two weeks of history so a replayed refresh token is still recognised as one.
                var threshold = time.GetUtcNow() - TimeSpan.FromDays(14);
                await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPruneFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning expired tokens failed; will retry at the next interval.")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
