using System.Diagnostics.Metrics;
using OpenIddict.Abstractions;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace IdentityProvider.Observability;

/// <summary>
/// The provider's own meter: what it issued, refused and sent, for dashboards and alerts. Tags hold only bounded
/// values (grant types, error codes, client ids, outcomes), never a user, a token or an address. One meter for the
/// process, not one per host: OpenTelemetry merges same-named instruments into one stream, and a host disposing
/// its copy would end that stream for the others (several hosts share a process in the tests).
/// </summary>
public sealed class ProviderMetrics(TimeProvider time)
{
    public const string MeterName = "IdentityProvider";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> IssuedTokens = Meter.CreateCounter<long>(
        "idp.tokens.issued", "{response}", "Token endpoint answers that issued tokens, by grant type and client.");
    private static readonly Counter<long> RefusedTokenRequests = Meter.CreateCounter<long>(
        "idp.token_requests.refused", "{response}", "Token endpoint answers with an OAuth error, by grant type and error.");
    private static readonly Counter<long> RefreshTokenReplays = Meter.CreateCounter<long>(
        "idp.refresh_tokens.replayed", "{token}", "Already redeemed refresh tokens presented again (each revokes its chain).");
    private static readonly Counter<long> SignIns = Meter.CreateCounter<long>(
        "idp.sign_ins", "{attempt}", "Password and second-factor checks, by outcome: succeeded, failed, locked_out, not_allowed.");
    private static readonly Counter<long> TwoFactorSignIns = Meter.CreateCounter<long>(
        "idp.two_factor.used", "{sign_in}", "Sign-ins completed with a second factor, by method.");
    private static readonly Counter<long> Mails = Meter.CreateCounter<long>(
        "idp.mails", "{mail}", "Mails by outcome: queued, sent, deferred (will retry), failed (given up).");
    private static readonly Counter<long> BackchannelLogouts = Meter.CreateCounter<long>(
        "idp.backchannel_logouts", "{notice}", "Back-channel logout notices by outcome: delivered, refused, deferred, failed.");
    private static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "idp.rate_limit.rejections", "{request}", "Requests answered 429, by limit: requests or failed_sign_ins.");

    private static ProviderMetrics? s_latest;
    private DateTimeOffset? _oldestUnsentMailQueuedAt;

    static ProviderMetrics() => Meter.CreateObservableGauge("idp.mails.oldest_unsent.age", () => s_latest?.OldestUnsentAge() ?? 0, "s",
        "How long the oldest mail still to be sent has waited (0 when none waits), as the outbox last saw it.");

    public void TokensIssued(string? grantType, string? clientId) =>
        IssuedTokens.Add(1, new("grant_type", Known(grantType)), new("client_id", clientId ?? "unknown"));

    /// <summary>Only for answers the server wrote: their error codes are its own, never what the request said.</summary>
    public void TokenRequestRefused(string? grantType, string error) =>
        RefusedTokenRequests.Add(1, new("grant_type", Known(grantType)), new("error", error));

    public void RefreshTokenReplayed(string? clientId) => RefreshTokenReplays.Add(1, new KeyValuePair<string, object?>("client_id", clientId ?? "unknown"));

    public void SignIn(SignInResult result) => SignIns.Add(1, new KeyValuePair<string, object?>("outcome",
        result.Succeeded ? "succeeded" : result.IsLockedOut ? "locked_out" : result.IsNotAllowed ? "not_allowed" : "failed"));

    public void TwoFactorUsed(string method) => TwoFactorSignIns.Add(1, new KeyValuePair<string, object?>("method", method));

    public void Mail(string outcome) => Mails.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void OldestUnsentMail(DateTimeOffset? queuedAt)
    {
        _oldestUnsentMailQueuedAt = queuedAt;
        s_latest = this;
    }

    public void BackchannelLogout(string outcome) => BackchannelLogouts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RateLimitRejection(string limit) => RateLimitRejections.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>A grant type as a tag: whatever else a request names is "other", so a client cannot mint new series.</summary>
    private static string Known(string? grantType) => grantType switch
    {
        OpenIddictConstants.GrantTypes.AuthorizationCode or OpenIddictConstants.GrantTypes.RefreshToken or
            OpenIddictConstants.GrantTypes.ClientCredentials or OpenIddictConstants.GrantTypes.Password => grantType,
        null => "none",
        _ => "other",
    };

    private double OldestUnsentAge() =>
        _oldestUnsentMailQueuedAt is { } queuedAt ? Math.Max(0, (time.GetUtcNow() - queuedAt).TotalSeconds) : 0;
}
