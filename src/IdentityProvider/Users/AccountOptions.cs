using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Users;

public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>Whether a user must confirm their email address before signing in.</summary>
    public bool RequireConfirmedEmail { get; set; } = true;

    /// <summary>How long password-reset and email-confirmation links stay valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan AccountTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the link in an admin's invitation (choose your first password) stays valid.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The provider's sign-in cookie expires after this long without a request (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The provider's sign-in (the single sign-on session) ends this long after the password was entered, however active.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>
    /// A change of the account's email address, turning two-factor on and making new recovery codes need a sign-in
    /// at most this old; an older session is sent to the login page first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan RecentSignInForChanges { get; set; } = TimeSpan.FromMinutes(5);

    [Range(8, 128)]
    public int PasswordMinimumLength { get; set; } = 12;

    /// <summary>Failed password checks (password grant and login page alike) before a lockout.</summary>
    [Range(1, 100)]
    public int LockoutMaxFailedAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The name authenticator apps show next to the account's codes.</summary>
    [Required, StringLength(64)]
    public string AuthenticatorIssuer { get; set; } = "IdentityProvider";
}
