using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Connect;

public sealed class IdpOptions
{
    public const string SectionName = "Idp";

    /// <summary>The public, absolute base address tokens are issued under. Required outside Development.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>
    /// Refuse plain-HTTP requests. Defaults to true outside Development; turn off only when a proxy
    /// in front terminates TLS and does not forward the original scheme.
    /// </summary>
    public bool? RequireHttps { get; set; }

    /// <summary><see cref="RequireHttps"/> with its default applied: the endpoints, the pages and the cookies follow it.</summary>
    public bool HttpsRequired(IHostEnvironment environment) => RequireHttps ?? !environment.IsDevelopment();

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sliding lifetime: each rotation issues a refresh token valid this long again...</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>...but never beyond this long after the user's original sign-in.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan RefreshTokenAbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long an already-redeemed refresh token is still accepted (to absorb a lost response).
    /// Zero means any second use is a replay and revokes the whole chain.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.Zero;

    /// <summary>Requests to the OAuth endpoints larger than this are rejected with 413.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
