namespace IdentityProvider.Developers;

/// <summary>Where a third-party app stands with the provider's admins.</summary>
public enum ReviewState
{
    /// <summary>Registered while <c>Developers:RequireApproval</c> is on: signs nobody in until approved.</summary>
    Pending,
    Approved,
    /// <summary>Stopped by an admin: its tokens were revoked and it signs nobody in until approved again.</summary>
    Suspended,
}

/// <summary>
/// What the provider knows of a client that a developer registered (in the portal or through RFC 7591) beyond
/// OpenIddict's application: who owns it, the links shown on the consent page, and its review. Deleted with the
/// application.
/// </summary>
public sealed class ThirdPartyApp
{
    public const int MaxUriLength = 2000;

    /// <summary>OpenIddict's application id (the primary key of its application row).</summary>
    public required string ApplicationId { get; init; }

    /// <summary>The developer who registered it in the portal; null for an app that registered itself (RFC 7591).</summary>
    public string? OwnerId { get; set; }

    public string? Homepage { get; set; }

    public string? PrivacyPolicy { get; set; }

    public string? TermsOfService { get; set; }

    public ReviewState Review { get; set; }

    /// <summary>An admin checked who is behind the app; the consent page says so.</summary>
    public bool Verified { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>SHA-256 of the RFC 7592 registration access token, for an app that registered itself.</summary>
    public string? RegistrationAccessTokenHash { get; set; }
}
