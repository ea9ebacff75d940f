using System.Globalization;
using IdentityProvider.Clients;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Developers;

/// <summary>The three shapes of third-party app: a server-side web app keeps a secret, the other two cannot.</summary>
public enum AppKind
{
    Web,
    SinglePage,
    Native,
}

/// <summary>A field of <see cref="ThirdPartyAppSpec"/> that breaks a rule, and why.</summary>
public sealed record SpecProblem(string Field, string Message);

/// <summary>
/// What a developer decides about their app, from the portal's form or RFC 7591 metadata, and the one set of rules
/// it must keep. A third-party app always gets explicit consent and the authorization code flow with PKCE; it asks
/// for scopes an admin opened to third parties, and for refresh tokens with <c>offline_access</c>.
/// </summary>
public sealed record ThirdPartyAppSpec
{
    public const int MaxNameLength = 200;

    public const int MaxUris = 10;

    public required string Name { get; init; }

    public AppKind Kind { get; init; }

    public Uri? Homepage { get; init; }

    public Uri? PrivacyPolicy { get; init; }

    public Uri? TermsOfService { get; init; }

    public IReadOnlyList<Uri> RedirectUris { get; init; } = [];

    public IReadOnlyList<Uri> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>Always holds <c>openid</c>; <c>offline_access</c> asks for refresh tokens.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    public bool IsPublic => Kind != AppKind.Web;

    public bool WantsRefreshTokens => Scopes.Contains(OpenIddictConstants.Scopes.OfflineAccess);

    /// <summary>Every broken rule; empty when the app may be registered as it is.</summary>
    public IEnumerable<SpecProblem> Problems(IReadOnlySet<string> openScopes)
    {
        // Format characters (bidi overrides, zero-width joiners) could make the consent page show another app's name.
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength
            || Name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            yield return new(nameof(Name), $"The name must have 1 to {MaxNameLength} characters, none of them control or invisible formatting characters.");
        }

        foreach (var (field, link) in new[] { (nameof(Homepage), Homepage), (nameof(PrivacyPolicy), PrivacyPolicy), (nameof(TermsOfService), TermsOfService) })
        {
            if (link is not null && LinkProblem(link) is { } problem)
            {
                yield return new(field, $"'{link.OriginalString}' {problem}.");
            }
        }

        if (RedirectUris.Count is 0 or > MaxUris)
        {
            yield return new(nameof(RedirectUris), $"Give 1 to {MaxUris} redirect URIs.");
        }

        if (PostLogoutRedirectUris.Count > MaxUris)
        {
            yield return new(nameof(PostLogoutRedirectUris), $"Give at most {MaxUris} post-logout redirect URIs.");
        }

        var application = Kind == AppKind.Native ? ApplicationKind.Native : ApplicationKind.Web;
        foreach (var (field, uri) in RedirectUris.Select(uri => (nameof(RedirectUris), uri)).Concat(PostLogoutRedirectUris.Select(uri => (nameof(PostLogoutRedirectUris), uri))))
        {
            if ((uri.OriginalString.Length > ThirdPartyApp.MaxUriLength ? "is too long" : ClientRules.RedirectUriProblem(uri, application)) is { } problem)
            {
                yield return new(field, $"'{uri.OriginalString}' {problem}.");
            }
        }

        if (Scopes.FirstOrDefault(scope => !openScopes.Contains(scope)) is { } closed)
        {
            yield return new(nameof(Scopes), $"The scope '{closed}' is not open to third-party apps; ask among {string.Join(", ", openScopes.Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>Homepage and policy links: absolute https (http only on a loopback address), at most 2000 characters.</summary>
    private static string? LinkProblem(Uri link) =>
        link.OriginalString.Length > ThirdPartyApp.MaxUriLength ? "is too long"
        : link is { IsAbsoluteUri: true, Scheme: "https" } || link is { IsAbsoluteUri: true, Scheme: "http", IsLoopback: true } ? null
        : "must be an absolute https address";

    /// <summary>The client to register or update under <paramref name="clientId"/>; a web app with <paramref name="secret"/>.</summary>
    public ClientDefinition ToDefinition(string clientId, string? secret)
    {
        var client = new ClientDefinition
        {
            ClientId = clientId,
            ClientSecret = IsPublic ? null : secret,
            DisplayName = Name.Trim(),
            Type = IsPublic ? ClientKind.Public : ClientKind.Confidential,
            Application = Kind == AppKind.Native ? ApplicationKind.Native : ApplicationKind.Web,
            Consent = ConsentMode.Explicit,
            RequirePkce = true,
        };
        client.Grants.Add(GrantTypes.AuthorizationCode);
        if (WantsRefreshTokens)
        {
            client.Grants.Add(GrantTypes.RefreshToken);
        }

        // openid and offline_access need no scope permission (OpenIddict checks the refresh_token grant instead).
        client.Scopes.AddRange(Scopes.Where(scope => scope is not (OpenIddictConstants.Scopes.OpenId or OpenIddictConstants.Scopes.OfflineAccess)));
        client.RedirectUris.AddRange(RedirectUris);
        client.PostLogoutRedirectUris.AddRange(PostLogoutRedirectUris);
        return client;
    }

    /// <summary>The spec of a registered app, read back from OpenIddict's descriptor and the provider's row.</summary>
    public static ThirdPartyAppSpec From(OpenIddictApplicationDescriptor application, ThirdPartyApp app) => new()
    {
        Name = application.DisplayName ?? application.ClientId ?? "",
        Kind = application.ClientType == ClientTypes.Confidential ? AppKind.Web
            : application.ApplicationType == ApplicationTypes.Native ? AppKind.Native : AppKind.SinglePage,
        Homepage = Link(app.Homepage),
        PrivacyPolicy = Link(app.PrivacyPolicy),
        TermsOfService = Link(app.TermsOfService),
        RedirectUris = [.. application.RedirectUris.OrderBy(uri => uri.OriginalString, StringComparer.Ordinal)],
        PostLogoutRedirectUris = [.. application.PostLogoutRedirectUris.OrderBy(uri => uri.OriginalString, StringComparer.Ordinal)],
        Scopes =
        [
            OpenIddictConstants.Scopes.OpenId,
            .. application.Permissions.Where(permission => permission.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                .Select(permission => permission[Permissions.Prefixes.Scope.Length..]).Order(StringComparer.Ordinal),
            .. application.Permissions.Contains(Permissions.GrantTypes.RefreshToken) ? [OpenIddictConstants.Scopes.OfflineAccess] : Array.Empty<string>(),
        ],
    };

    private static Uri? Link(string? value) => value is null ? null : new Uri(value, UriKind.Absolute);
}
