using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Security;

/// <summary>
/// Limits on the endpoints an attacker hammers: the sign-in, registration and account pages, the token endpoint and
/// dynamic client registration. Each request counts against its client address (IPv6 by /64) and, when it names one, its account;
/// failed sign-ins also spend a smaller budget per address.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Account-form POSTs (login, register, forgot-password) per IP address per window.</summary>
    [Range(1, 100_000)]
    public int FormsPerIp { get; set; } = 30;

    /// <summary>Token requests per IP address per window; generous, since many users share one NAT.</summary>
    [Range(1, 1_000_000)]
    public int TokenRequestsPerIp { get; set; } = 300;

    /// <summary>Requests to dynamic client registration and its configuration endpoint per IP address per window.</summary>
    [Range(1, 100_000)]
    public int RegistrationRequestsPerIp { get; set; } = 10;

    /// <summary>
    /// Failed sign-ins (wrong password or code, unknown or locked account; login pages and the password grant)
    /// per address per window; once spent, that address's sign-ins get 429 until the window ends.
    /// </summary>
    [Range(1, 100_000)]
    public int FailedSignInsPerIp { get; set; } = 20;

    /// <summary>Requests naming the same account (email or username) per window, whatever their IP.</summary>
    [Range(1, 100_000)]
    public int PerAccount { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
