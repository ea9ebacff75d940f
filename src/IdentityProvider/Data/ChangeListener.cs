using Npgsql;

namespace IdentityProvider.Data;

/// <summary>
/// Keeps one connection of its own listening on <see cref="ChangeNotifications.Channel"/> and forwards what other
/// instances publish. A notice sent while the connection was down is lost, so after every (re)connection all
/// caches are forgotten once. The connection is outside the pool: a pooled session keeps no LISTEN.
/// </summary>
internal sealed partial class ChangeListener(string connectionString, ChangeNotifications notifications, ILogger<ChangeListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(listening);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notice) => notifications.Forget(notice.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotifications.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                notifications.Forget(topic: null);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Whatever broke the connection (Npgsql may also throw other exceptions when the server goes away),
                // listening must go on: a background service that throws stops the provider.
                LogListenFailed(logger, exception);
                notifications.Forget(topic: null);
                try
                {
                    await Task.Delay(ReconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other instances' changes failed; reconnecting in 5 s.")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
