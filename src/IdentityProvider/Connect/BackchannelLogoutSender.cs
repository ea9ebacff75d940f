using IdentityProvider.Observability;
using IdentityProvider.Jobs;
using IdentityProvider.Keys;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// Signs a logout token for each stored notice and POSTs it to the app, on whichever instance claims the notice.
/// Network errors and 5xx answers are retried with growing delays; a 4xx answer (the app refused the token) is not.
/// A batch of notices goes out at once; an app that does not answer holds up the next batch for at most its timeout.
/// </summary>
internal sealed partial class BackchannelLogoutSender(
    IServiceScopeFactory scopes, JobSignal<BackchannelNotice> signal, IHttpClientFactory httpClients,
    IOptionsMonitor<OpenIddictServerOptions> server, ProviderMetrics metrics, TimeProvider time, ILogger<BackchannelLogoutSender> logger)
    : JobDispatcher<BackchannelNotice>(scopes, signal, time, logger)
{
    public const string HttpClientName = "backchannel-logout";

    /// <summary>For clients allowed to reach a private network, and for every client in Development.</summary>
    public const string PrivateNetworkHttpClientName = "backchannel-logout-private-network";
    private const string LogoutEvent = "http://schemas.openid.net/event/backchannel-logout";
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    /// <summary>Short, since a retry is due a second after a failure; the query is one filtered index lookup.</summary>
    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(1);

    /// <summary>A whole batch at once: a round lasts as long as its slowest app (at most the 10 s timeout).</summary>
    protected override int Parallelism => BatchSize;

    protected override async Task<JobOutcome> AttemptAsync(BackchannelNotice notice, CancellationToken cancellationToken)
    {
        try
        {
            using var client = httpClients.CreateClient(notice.ToPrivateNetwork ? PrivateNetworkHttpClientName : HttpClientName);
            using var content = new FormUrlEncodedContent([new("logout_token", CreateLogoutToken(notice))]);
            using var response = await client.PostAsync(new Uri(notice.Uri), content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                metrics.BackchannelLogout("delivered");
                return JobOutcome.Done;
            }

            if ((int)response.StatusCode is >= 400 and < 500)
            {
                metrics.BackchannelLogout("refused");
                LogRefused(logger, notice.ClientId, (int)response.StatusCode);
                return JobOutcome.GiveUp($"HTTP {(int)response.StatusCode}");
            }

            return Retry(notice, $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException exception) when (exception.InnerException is PrivateNetworkGuard.RefusedException refused)
        {
            metrics.BackchannelLogout("failed");
            LogPrivateNetworkRefused(logger, notice.ClientId, refused.Message);
            return JobOutcome.GiveUp(refused.Message);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // Unreachable or timed out (HttpClient reports its timeout as a cancellation).
            return Retry(notice, exception.Message);
        }
        catch (Exception exception)
        {
            metrics.BackchannelLogout("failed");
            LogGaveUp(logger, notice.ClientId, notice.Attempts, exception.Message);
            return JobOutcome.GiveUp(exception.Message);
        }
    }

    private JobOutcome Retry(BackchannelNotice notice, string error)
    {
        if (notice.Attempts > RetryDelays.Length)
        {
            metrics.BackchannelLogout("failed");
            LogGaveUp(logger, notice.ClientId, notice.Attempts, error);
            return JobOutcome.GiveUp(error);
        }

        metrics.BackchannelLogout("deferred");
        LogWillRetry(logger, notice.ClientId, notice.Attempts, error);
        return JobOutcome.Retry(error, RetryDelays[notice.Attempts - 1]);
    }

    private string CreateLogoutToken(BackchannelNotice notice)
    {
        var options = server.CurrentValue;
        var now = Time.GetUtcNow().UtcDateTime;
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
