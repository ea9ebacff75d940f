using System.ComponentModel.DataAnnotations;
using IdentityProvider.Clients;
using IdentityProvider.Connect;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Pages.Admin.Clients;

/// <summary>The client registration form: to and from the same <see cref="ClientDefinition"/> bootstrap uses.</summary>
public sealed class ClientForm
{
    [ClientId]
    [Display(Name = "Client id")]
    public string ClientId { get; set; } = "";

    [StringLength(200)]
    [Display(Name = "Display name")]
    public string? DisplayName { get; set; }

    public ClientKind Type { get; set; } = ClientKind.Confidential;

    public ApplicationKind Application { get; set; } = ApplicationKind.Web;

    public ConsentMode Consent { get; set; } = ConsentMode.Explicit;

    public List<string> Grants { get; set; } = [];

    /// <summary>Space-separated scope names.</summary>
    [StringLength(2000)]
    public string? Scopes { get; set; }

    /// <summary>One URI per line.</summary>
    [StringLength(8000)]
    [Display(Name = "Redirect URIs")]
    public string? RedirectUris { get; set; }

    [StringLength(8000)]
    [Display(Name = "Post-logout redirect URIs")]
    public string? PostLogoutRedirectUris { get; set; }

    [Display(Name = "Require PKCE")]
    public bool RequirePkce { get; set; } = true;

    [Display(Name = "May introspect tokens")]
    public bool Introspection { get; set; }

    /// <summary>hh:mm:ss (or d.hh:mm:ss); empty: the provider's default.</summary>
    [Display(Name = "Access token lifetime")]
    public TimeSpan? AccessTokenLifetime { get; set; }

    [Display(Name = "Refresh token lifetime")]
    public TimeSpan? RefreshTokenLifetime { get; set; }

    [StringLength(2000)]
    [Display(Name = "Back-channel logout URI")]
    public string? BackchannelLogoutUri { get; set; }

    [Display(Name = "Back-channel logout may reach a private network")]
    public bool BackchannelLogoutToPrivateNetwork { get; set; }

    public static ClientForm From(OpenIddictApplicationDescriptor descriptor) => new()
    {
        ClientId = descriptor.ClientId ?? "",
        DisplayName = descriptor.DisplayName,
        Type = descriptor.ClientType == ClientTypes.Public ? ClientKind.Public : ClientKind.Confidential,
        Application = descriptor.ApplicationType == ApplicationTypes.Native ? ApplicationKind.Native : ApplicationKind.Web,
        Consent = descriptor.ConsentType == ConsentTypes.Implicit ? ConsentMode.Implicit : ConsentMode.Explicit,
        Grants = [.. ClientRegistration.SupportedGrants.Where(grant => descriptor.Permissions.Contains(Permissions.Prefixes.GrantType + grant))],
        Scopes = string.Join(' ', descriptor.Permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..]).Order()),
        RedirectUris = string.Join('\n', descriptor.RedirectUris),
        PostLogoutRedirectUris = string.Join('\n', descriptor.PostLogoutRedirectUris),
        RequirePkce = descriptor.Requirements.Contains(Requirements.Features.ProofKeyForCodeExchange),
        Introspection = descriptor.Permissions.Contains(Permissions.Endpoints.Introspection),
        BackchannelLogoutUri = descriptor.Settings.GetValueOrDefault(BackchannelLogout.UriSetting),
        BackchannelLogoutToPrivateNetwork = descriptor.Settings.GetValueOrDefault(BackchannelLogout.PrivateNetworkSetting) == bool.TrueString,
        AccessTokenLifetime = ParseLifetime(descriptor.Settings.GetValueOrDefault(Settings.TokenLifetimes.AccessToken)),
        RefreshTokenLifetime = ParseLifetime(descriptor.Settings.GetValueOrDefault(Settings.TokenLifetimes.RefreshToken)),
    };

    /// <summary>What the audit log compares before and after a change (never the secret).</summary>
    public IReadOnlyDictionary<string, string?> AuditFields() => new Dictionary<string, string?>
    {
        ["DisplayName"] = DisplayName,
        ["Type"] = $"{Type}, {Application}",
        ["Consent"] = Consent.ToString(),
        ["Grants"] = string.Join(' ', Grants),
        ["Scopes"] = Scopes,
        ["RedirectUris"] = RedirectUris?.Replace('\n', ' '),
        ["PostLogoutRedirectUris"] = PostLogoutRedirectUris?.Replace('\n', ' '),
        ["RequirePkce"] = RequirePkce.ToString(),
        ["Introspection"] = Introspection.ToString(),
        ["AccessTokenLifetime"] = AccessTokenLifetime?.ToString(),
        ["RefreshTokenLifetime"] = RefreshTokenLifetime?.ToString(),
        ["BackchannelLogoutUri"] = BackchannelLogoutUri,
        ["BackchannelLogoutToPrivateNetwork"] = BackchannelLogoutToPrivateNetwork.ToString(),
    };

    private static TimeSpan? ParseLifetime(string? value) =>
        TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var lifetime) ? lifetime : null;

    /// <summary>The definition, or why the form's text cannot become one; <see cref="ClientRules"/> judge the definition.</summary>
    public (ClientDefinition? Definition, string? Problem) ToDefinition(string? secret)
    {
        var redirectUris = new List<Uri>();
        var postLogoutUris = new List<Uri>();
        foreach (var (text, into) in new[] { (RedirectUris, redirectUris), (PostLogoutRedirectUris, postLogoutUris) })
        {
            foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(line, UriKind.Absolute, out var uri))
                {
                    return (null, $"'{line}' is not an absolute URI.");
                }

                into.Add(uri);
            }
        }

        Uri? backchannel = null;
        if (!string.IsNullOrWhiteSpace(BackchannelLogoutUri) && !Uri.TryCreate(BackchannelLogoutUri.Trim(), UriKind.Absolute, out backchannel))
        {
            return (null, "The back-channel logout URI is not an absolute URI.");
        }

        return (new ClientDefinition
        {
            ClientId = ClientId,
            ClientSecret = secret,
            DisplayName = string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName.Trim(),
            Type = Type,
            Application = Application,
            Consent = Consent,
            Grants = [.. Grants.Distinct()],
            Scopes = [.. (Scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct()],
            RedirectUris = redirectUris,
            PostLogoutRedirectUris = postLogoutUris,
            RequirePkce = RequirePkce,
            Introspection = Introspection,
            BackchannelLogoutUri = backchannel,
            BackchannelLogoutToPrivateNetwork = BackchannelLogoutToPrivateNetwork,
            AccessTokenLifetime = AccessTokenLifetime,
            RefreshTokenLifetime = RefreshTokenLifetime,
        }, null);
    }
}
