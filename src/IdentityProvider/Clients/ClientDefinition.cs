namespace IdentityProvider.Clients;

public enum ClientKind
{
    Confidential,
    Public,
}

/// <summary>A native app (desktop, mobile, CLI) may use loopback redirect URIs on any port (RFC 8252 §7.3).</summary>
public enum ApplicationKind
{
    Web,
    Native,
}

public enum ConsentMode
{
    Implicit,
    Explicit,
}

public sealed class ClientDefinition
{
    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    public string? DisplayName { get; set; }

    public ClientKind Type { get; set; } = ClientKind.Confidential;

    public ApplicationKind Application { get; set; } = ApplicationKind.Web;

    public List<string> Grants { get; init; } = [];

    public List<string> Scopes { get; init; } = [];

    public List<Uri> RedirectUris { get; init; } = [];

    public List<Uri> PostLogoutRedirectUris { get; init; } = [];

    public ConsentMode Consent { get; set; } = ConsentMode.Explicit;

    /// <summary>PKCE on the authorization code flow; only a confidential client may turn it off.</summary>
    public bool RequirePkce { get; set; } = true;

    /// <summary>Overrides <c>Idp:AccessTokenLifetime</c> for this client (1 minute to 1 day).</summary>
    public TimeSpan? AccessTokenLifetime { get; set; }

    /// <summary>Overrides <c>Idp:RefreshTokenLifetime</c> (the sliding lifetime) for this client (1 minute to 365 days).</summary>
    public TimeSpan? RefreshTokenLifetime { get; set; }

    /// <summary>May call the introspection endpoint (RFC 7662 §4): for APIs (resource servers); confidential clients only.</summary>
    public bool Introspection { get; set; }

    /// <summary>Where the provider POSTs a logout token when the user's session ends (OpenID Connect Back-Channel Logout 1.0).</summary>
    public Uri? BackchannelLogoutUri { get; set; }

    /// <summary>
    /// Lets <see cref="BackchannelLogoutUri"/> reach a loopback, private or link-local address outside Development:
    /// for an app that really runs in the provider's own network.
    /// </summary>
    public bool BackchannelLogoutToPrivateNetwork { get; set; }
}
