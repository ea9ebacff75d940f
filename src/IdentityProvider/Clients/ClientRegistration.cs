using System.Globalization;
using IdentityProvider.Connect;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Clients;

/// <summary>What <see cref="ClientRegistration.UpsertAsync"/> did: nothing, because of <see cref="Problems"/>, or created or updated the client.</summary>
public sealed record ClientRegistrationResult(IReadOnlyList<string> Problems, bool Created)
{
    public bool Succeeded => Problems.Count == 0;
}

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

    /// <summary>
    /// Creates or updates the client; with problems (<see cref="ClientRules"/>), does neither and returns them.
    /// With <paramref name="keepStoredSecret"/>, an existing client that has a secret keeps it, whatever the definition says.
    /// </summary>
    public async Task<ClientRegistrationResult> UpsertAsync(ClientDefinition client, bool keepStoredSecret = false, CancellationToken cancellationToken = default)
    {
        if (ClientRules.Problems(client) is { Count: > 0 } problems)
        {
            return new ClientRegistrationResult(problems, Created: false);
        }

        var descriptor = ToDescriptor(client);
        var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            return new ClientRegistrationResult([], Created: true);
        }

        // OpenIddict re-hashes the secret only when it differs from the stored value. While the secret
        // stays, so does a previous one still in its grace period (ClientSecretManager).
        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, existing, cancellationToken);
        if (keepStoredSecret && current.ClientSecret is not null && descriptor.ClientSecret is not null)
        {
            descriptor.ClientSecret = current.ClientSecret;
        }

        if (current.ClientSecret is not null && current.ClientSecret == descriptor.ClientSecret
            && current.Properties.TryGetValue(ClientSecretManager.PreviousSecretProperty, out var previous))
        {
            descriptor.Properties[ClientSecretManager.PreviousSecretProperty] = previous;
        }

        await applications.UpdateAsync(existing, descriptor, cancellationToken);
        return new ClientRegistrationResult([], Created: false);
    }

    /// <summary>OpenIddict's descriptor of a definition that has no <see cref="ClientRules.Problems"/>.</summary>
    public static OpenIddictApplicationDescriptor ToDescriptor(ClientDefinition client)
    {
        var isPublic = client.Type == ClientKind.Public;
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

        if (client.AccessTokenLifetime is { } access)
        {
            descriptor.Settings[Settings.TokenLifetimes.AccessToken] = access.ToString("c", CultureInfo.InvariantCulture);
        }

        if (client.RefreshTokenLifetime is { } refresh)
        {
            descriptor.Settings[Settings.TokenLifetimes.RefreshToken] = refresh.ToString("c", CultureInfo.InvariantCulture);
        }

        if (client.BackchannelLogoutUri is { } logoutUri)
        {
            descriptor.Settings[BackchannelLogout.UriSetting] = logoutUri.AbsoluteUri;
            if (client.BackchannelLogoutToPrivateNetwork)
            {
                descriptor.Settings[BackchannelLogout.PrivateNetworkSetting] = bool.TrueString;
            }
        }

        descriptor.RedirectUris.UnionWith(client.RedirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris);
        return descriptor;
    }
}
