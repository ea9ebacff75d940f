using IdentityProvider.Observability;
using IdentityProvider.Keys;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// Signs a logout token for each queued notice and POSTs it to the app. Network errors and 5xx answers
/// are retried with growing delays; a 4xx answer (the app refused the token) is not.
/// </summary>
internal sealed partial class BackchannelLogoutSender(
    LogoutNotices queue, IHttpClientFactory httpClients, IOptionsMonitor<OpenIddictServerOptions> server,
    ProviderMetrics metrics, TimeProvider time, ILogger<BackchannelLogoutSender> logger) : BackgroundService
{
    public const string HttpClientName = "backchannel-logout";

    /// <summary>For clients allowed to reach a private network, and for every client in Development.</summary>
    public const string PrivateNetworkHttpClientName = "backchannel-logout-private-network";
    private const string LogoutEvent = "http://schemas.openid.net/event/backchannel-logout";
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notice in queue.ReadAllAsync(stoppingToken))
            {
                // One slow app must not hold up the notices for the others.
                _ = SendAsync(notice, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(LogoutNotice notice, CancellationToken stoppingToken)
    {
        try
        {
            using var client = httpClients.CreateClient(notice.ToPrivateNetwork ? PrivateNetworkHttpClientName : HttpClientName);
            using var content = new FormUrlEncodedContent([new("logout_token", CreateLogoutToken(notice))]);
            using var response = await client.PostAsync(notice.Uri, content, stoppingToken);
            if (response.IsSuccessStatusCode)
            {
                metrics.BackchannelLogout("delivered");
                return;
            }

            if ((int)response.StatusCode is >= 400 and < 500)
            {
                metrics.BackchannelLogout("refused");
                LogRefused(logger, notice.ClientId, (int)response.StatusCode);
                return;
            }

            await RetryAsync(notice, $"HTTP {(int)response.StatusCode}", stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (HttpRequestException exception) when (exception.InnerException is PrivateNetworkGuard.RefusedException refused)
        {
            metrics.BackchannelLogout("failed");
            LogPrivateNetworkRefused(logger, notice.ClientId, refused.Message);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // Unreachable or timed out (HttpClient reports its timeout as a cancellation).
            await RetryAsync(notice, exception.Message, stoppingToken);
        }
        catch (Exception exception)
        {
            metrics.BackchannelLogout("failed");
            LogGaveUp(logger, notice.ClientId, notice.Attempt, exception.Message);
        }
    }

    private async Task RetryAsync(LogoutNotice notice, string error, CancellationToken stoppingToken)
    {
        if (notice.Attempt > RetryDelays.Length)
        {
            metrics.BackchannelLogout("failed");
            LogGaveUp(logger, notice.ClientId, notice.Attempt, error);
            return;
        }

        metrics.BackchannelLogout("deferred");
        LogWillRetry(logger, notice.ClientId, notice.Attempt, error);
        await Task.Delay(RetryDelays[notice.Attempt - 1], time, stoppingToken);
        queue.Enqueue(notice with { Attempt = notice.Attempt + 1 });
    }

    private string CreateLogoutToken(LogoutNotice notice)
    {
        var options = server.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [Claims.Subject] = notice.Subject,
            [Claims.JwtId] = Guid.NewGuid().ToString("N"),
            ["events"] = new Dictionary<string, object> { [LogoutEvent] = new Dictionary<string, object>() },
        };
        if (notice.SessionId is not null)
        {
            claims[TokenPrincipalFactory.SessionIdClaim] = notice.SessionId;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer?.AbsoluteUri,
            Audience = notice.ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(2),
            Claims = claims,
            TokenType = "logout+jwt",
            SigningCredentials = options.PublishedSigningCredentials(),
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Back-channel logout to {ClientId} failed (attempt {Attempt}): {Error}. Will retry.")]
    private static partial void LogWillRetry(ILogger logger, string clientId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Back-channel logout to {ClientId} given up after {Attempt} attempt(s): {Error}.")]
    private static partial void LogGaveUp(ILogger logger, string clientId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Back-channel logout to {ClientId} not sent: {Reason} An admin can allow it for this client (BackchannelLogoutToPrivateNetwork).")]
    private static partial void LogPrivateNetworkRefused(ILogger logger, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Back-channel logout to {ClientId} refused with HTTP {Status}; not retried.")]
    private static partial void LogRefused(ILogger logger, string clientId, int status);
}
