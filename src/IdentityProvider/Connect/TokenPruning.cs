using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityProvider.Connect;

/// <summary>Removes expired and revoked tokens and authorizations once an hour.</summary>
internal sealed partial class TokenPruning(
    IServiceScopeFactory scopes, IOptions<IdpOptions> idp, TimeProvider time, ILogger<TokenPruning> logger) : BackgroundService
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
                // A redeemed refresh token's entry must outlive the token itself, or a replay of it
                // would no longer be recognised as one (and would not revoke the chain).
                var threshold = time.GetUtcNow() - idp.Value.RefreshTokenAbsoluteLifetime;
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
