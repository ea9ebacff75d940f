using System.Globalization;
using IdentityProvider.Connect;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Clients;

/// <summary>Turns a client definition into OpenIddict's descriptor and creates or updates it.</summary>
public sealed class ClientRegistration(IOpenIddictApplicationManager applications)
{
    private static readonly Dictionary<string, string> GrantPermissions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["password"] = Permissions.GrantTypes.Password,
        ["refresh_token"] = Permissions.GrantTypes.RefreshToken,
        ["client_credentials"] = Permissions.GrantTypes.ClientCredentials,
        ["authorization_code"] = Permissions.GrantTypes.AuthorizationCode,
    };

    public static IReadOnlyCollection<string> SupportedGrants => GrantPermissions.Keys;

    /// <summary>Returns true when the client was created, false when an existing one was updated.</summary>
    public async Task<bool> UpsertAsync(ClientDefinition client, CancellationToken cancellationToken = default)
    {
        var descriptor = ToDescriptor(client);
        var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            return true;
        }

        // OpenIddict re-hashes the secret only when it differs from the stored value. While the secret
        // stays, so does a previous one still in its grace period (ClientSecretManager).
        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, existing, cancellationToken);
        if (current.ClientSecret is not null && current.ClientSecret == descriptor.ClientSecret
            && current.Properties.TryGetValue(ClientSecretManager.PreviousSecretProperty, out var previous))
        {
            descriptor.Properties[ClientSecretManager.PreviousSecretProperty] = previous;
        }

        await applications.UpdateAsync(existing, descriptor, cancellationToken);
        return false;
    }

    /// <summary>
    /// Why a redirect URI may not be registered, or null: it must be absolute, without a fragment, and
    /// https, except http on a loopback address and, for native apps, their own private-use scheme (RFC 8252).
    /// </summary>
    public static string? RedirectUriProblem(Uri uri, ApplicationKind application) => uri switch
    {
        { IsAbsoluteUri: false } => "must be absolute",
        _ when uri.Fragment.Length > 0 => "must not have a fragment",
        { Scheme: "https" } => null,
        { Scheme: "http" } => uri.IsLoopback ? null : "must use https (plain http only on a loopback address)",
        _ when application == ApplicationKind.Native => null,
        _ => "must use https (a custom scheme is only for native apps)",
    };

    private static string Lifetime(ClientDefinition client, string name, TimeSpan value, TimeSpan maximum) =>
        value >= TimeSpan.FromMinutes(1) && value <= maximum
            ? value.ToString("c", CultureInfo.InvariantCulture)
            : throw new ArgumentException($"Client '{client.ClientId}': {name} must be between 00:01:00 and {maximum.ToString("c", CultureInfo.InvariantCulture)}.");

    public static OpenIddictApplicationDescriptor ToDescriptor(ClientDefinition client)
    {
        var unknown = client.Grants.Where(g => !GrantPermissions.ContainsKey(g)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Client '{client.ClientId}': unknown grant(s) {string.Join(", ", unknown)}; use {string.Join(", ", SupportedGrants)}.");
        }

        var isPublic = client.Type == ClientKind.Public;
        if (isPublic && !string.IsNullOrEmpty(client.ClientSecret))
        {
            throw new ArgumentException($"Client '{client.ClientId}': a public client cannot have a secret.");
        }

        if (!isPublic && string.IsNullOrEmpty(client.ClientSecret))
        {
            throw new ArgumentException($"Client '{client.ClientId}': a confidential client needs a ClientSecret.");
        }

        if (isPublic && !client.RequirePkce)
        {
            throw new ArgumentException($"Client '{client.ClientId}': a public client must use PKCE (RequirePkce cannot be false).");
        }

        if (isPublic && client.Grants.Contains("client_credentials", StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Client '{client.ClientId}': a public client cannot use client_credentials.");
        }

        if (isPublic && client.Introspection)
        {
            throw new ArgumentException($"Client '{client.ClientId}': a public client cannot use introspection (RFC 7662 §2.1 needs client authentication).");
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = isPublic ? ClientTypes.Public : ClientTypes.Confidential,
            ApplicationType = client.Application == ApplicationKind.Native ? ApplicationTypes.Native : ApplicationTypes.Web,
            DisplayName = client.DisplayName ?? client.ClientId,
            ConsentType = client.Consent == ConsentMode.Implicit ? ConsentTypes.Implicit : ConsentTypes.Explicit,
        };

        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
        if (client.Introspection)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        }

        foreach (var grant in client.Grants)
        {
            descriptor.Permissions.Add(GrantPermissions[grant]);
        }

        if (client.Grants.Contains("authorization_code", StringComparer.OrdinalIgnoreCase))
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
            descriptor.Permissions.Add(Permissions.Endpoints.EndSession);
            descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
            if (client.RequirePkce)
            {
                descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            }
        }

        foreach (var scope in client.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        foreach (var uri in client.RedirectUris.Concat(client.PostLogoutRedirectUris))
        {
            if (RedirectUriProblem(uri, client.Application) is { } problem)
            {
                throw new ArgumentException($"Client '{client.ClientId}': redirect URI '{uri}' {problem}.");
            }
        }

        if (client.AccessTokenLifetime is { } access)
        {
            descriptor.Settings[Settings.TokenLifetimes.AccessToken] = Lifetime(client, "AccessTokenLifetime", access, TimeSpan.FromDays(1));
        }

        if (client.RefreshTokenLifetime is { } refresh)
        {
            descriptor.Settings[Settings.TokenLifetimes.RefreshToken] = Lifetime(client, "RefreshTokenLifetime", refresh, TimeSpan.FromDays(365));
        }

        if (client.BackchannelLogoutUri is { } logoutUri)
        {
            if (!logoutUri.IsAbsoluteUri || logoutUri.Fragment.Length > 0 ||
                (logoutUri.Scheme != Uri.UriSchemeHttps && !(logoutUri.Scheme == Uri.UriSchemeHttp && logoutUri.IsLoopback)))
            {
                throw new ArgumentException($"Client '{client.ClientId}': BackchannelLogoutUri must be an absolute https address without a fragment (http only on loopback).");
            }

            descriptor.Settings[BackchannelLogout.UriSetting] = logoutUri.AbsoluteUri;
        }

        descriptor.RedirectUris.UnionWith(client.RedirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris);
        return descriptor;
    }
}
