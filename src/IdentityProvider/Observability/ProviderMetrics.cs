using System.Diagnostics.Metrics;
using OpenIddict.Abstractions;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace IdentityProvider.Observability;

/// <summary>
/// The provider's own meter: what it issued, refused and sent, for dashboards and alerts. Tags hold only bounded
/// values (grant types, error codes, client ids, outcomes), never a user, a token or an address.
/// </summary>
public sealed class ProviderMetrics : IDisposable
{
    public const string MeterName = "IdentityProvider";

    private readonly Meter _meter;
    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _tokenRequestsRefused;
    private readonly Counter<long> _refreshTokenReplays;
    private readonly Counter<long> _signIns;
    private readonly Counter<long> _twoFactorUsed;
    private readonly Counter<long> _mails;
    private readonly Counter<long> _backchannelLogouts;
    private readonly Counter<long> _rateLimitRejections;
    private DateTimeOffset? _oldestUnsentMailQueuedAt;

    public ProviderMetrics(IMeterFactory meters, TimeProvider time)
    {
        _meter = meters.Create(MeterName);
        _tokensIssued = _meter.CreateCounter<long>("idp.tokens.issued", "{response}", "Token endpoint answers that issued tokens, by grant type and client.");
        _tokenRequestsRefused = _meter.CreateCounter<long>("idp.token_requests.refused", "{response}", "Token endpoint answers with an OAuth error, by grant type and error.");
        _refreshTokenReplays = _meter.CreateCounter<long>("idp.refresh_tokens.replayed", "{token}", "Already redeemed refresh tokens presented again (each revokes its chain).");
        _signIns = _meter.CreateCounter<long>("idp.sign_ins", "{attempt}", "Password and second-factor checks, by outcome: succeeded, failed, locked_out, not_allowed.");
        _twoFactorUsed = _meter.CreateCounter<long>("idp.two_factor.used", "{sign_in}", "Sign-ins completed with a second factor, by method.");
        _mails = _meter.CreateCounter<long>("idp.mails", "{mail}", "Mails by outcome: queued, sent, deferred (will retry), failed (given up).");
        _backchannelLogouts = _meter.CreateCounter<long>("idp.backchannel_logouts", "{notice}", "Back-channel logout notices by outcome: delivered, refused, deferred, failed.");
        _rateLimitRejections = _meter.CreateCounter<long>("idp.rate_limit.rejections", "{request}", "Requests answered 429, by limit: requests or failed_sign_ins.");
        _meter.CreateObservableGauge("idp.mails.oldest_unsent.age", () => OldestUnsentAge(time), "s",
            "How long the oldest mail still to be sent has waited (0 when none waits), as the outbox last saw it.");
    }

    public void TokensIssued(string? grantType, string? clientId) =>
        _tokensIssued.Add(1, new("grant_type", Known(grantType)), new("client_id", clientId ?? "unknown"));

    /// <summary>Only for answers the server wrote: their error codes are its own, never what the request said.</summary>
    public void TokenRequestRefused(string? grantType, string error) =>
        _tokenRequestsRefused.Add(1, new("grant_type", Known(grantType)), new("error", error));

    public void RefreshTokenReplayed(string? clientId) => _refreshTokenReplays.Add(1, new KeyValuePair<string, object?>("client_id", clientId ?? "unknown"));

    public void SignIn(SignInResult result) => _signIns.Add(1, new KeyValuePair<string, object?>("outcome",
        result.Succeeded ? "succeeded" : result.IsLockedOut ? "locked_out" : result.IsNotAllowed ? "not_allowed" : "failed"));

    public void TwoFactorUsed(string method) => _twoFactorUsed.Add(1, new KeyValuePair<string, object?>("method", method));

    public void Mail(string outcome) => _mails.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void OldestUnsentMail(DateTimeOffset? queuedAt) => _oldestUnsentMailQueuedAt = queuedAt;

    public void BackchannelLogout(string outcome) => _backchannelLogouts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RateLimitRejection(string limit) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>A grant type as a tag: whatever else a request names is "other", so a client cannot mint new series.</summary>
    private static string Known(string? grantType) => grantType switch
    {
        OpenIddictConstants.GrantTypes.AuthorizationCode or OpenIddictConstants.GrantTypes.RefreshToken or
            OpenIddictConstants.GrantTypes.ClientCredentials or OpenIddictConstants.GrantTypes.Password => grantType,
        null => "none",
        _ => "other",
    };

    private double OldestUnsentAge(TimeProvider time) =>
        _oldestUnsentMailQueuedAt is { } queuedAt ? Math.Max(0, (time.GetUtcNow() - queuedAt).TotalSeconds) : 0;

    public void Dispose() => _meter.Dispose();
}
