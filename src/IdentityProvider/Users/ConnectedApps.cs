using System.Collections.Immutable;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Users;

/// <summary>The apps a user has let in: a consent they gave, or a session an app holds (a live refresh token).</summary>
public sealed class ConnectedApps(
    IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens)
{
    /// <summary><see cref="LastUsed"/> and <see cref="Expires"/> describe the app's live refresh token, if it holds one.</summary>
    public sealed record ConnectedApp(
        string ApplicationId, string Name, ImmutableArray<string> Scopes, DateTimeOffset? Since, bool Consented,
        DateTimeOffset? LastUsed = null, DateTimeOffset? Expires = null);

    public async Task<IReadOnlyList<ConnectedApp>> ListAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        var found = await GatherAsync(user, cancellationToken);
        var result = new List<ConnectedApp>(found.Count);
        foreach (var app in found.Values)
        {
            var application = await applications.FindByIdAsync(app.ApplicationId, cancellationToken);
            var name = application is null ? null
                : await applications.GetDisplayNameAsync(application, cancellationToken) ?? await applications.GetClientIdAsync(application, cancellationToken);
            result.Add(app with { Name = name ?? "Removed app" });
        }

        return [.. result.OrderBy(app => app.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The ids of the applications holding a grant for the user, without reading the applications.</summary>
    public async Task<IReadOnlyCollection<string>> ApplicationIdsAsync(ApplicationUser user, CancellationToken cancellationToken = default) =>
        (await GatherAsync(user, cancellationToken)).Keys;

    private async Task<Dictionary<string, ConnectedApp>> GatherAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ConnectedApp>(StringComparer.Ordinal);
        await foreach (var authorization in authorizations.FindBySubjectAsync(user.Id, cancellationToken))
        {
            if (await authorizations.GetApplicationIdAsync(authorization, cancellationToken) is not { } applicationId ||
                !await authorizations.HasStatusAsync(authorization, Statuses.Valid, cancellationToken))
            {
                continue;
            }

            var app = found.GetValueOrDefault(applicationId) ?? new ConnectedApp(applicationId, "", [], null, false);
            var created = await authorizations.GetCreationDateAsync(authorization, cancellationToken);
            found[applicationId] = app with
            {
                Scopes = app.Scopes.Union(await authorizations.GetScopesAsync(authorization, cancellationToken)).Order(StringComparer.Ordinal).ToImmutableArray(),
                Since = Earliest(app.Since, created),
                Consented = app.Consented || await authorizations.HasTypeAsync(authorization, AuthorizationTypes.Permanent, cancellationToken),
            };
        }

        await foreach (var token in tokens.FindBySubjectAsync(user.Id, cancellationToken))
        {
            if (await tokens.GetApplicationIdAsync(token, cancellationToken) is not { } applicationId ||
                !await tokens.HasTypeAsync(token, TokenTypeHints.RefreshToken, cancellationToken) ||
                !await tokens.HasStatusAsync(token, Statuses.Valid, cancellationToken))
            {
                continue;
            }

            // Refresh tokens rotate, so the live one was issued at the app's last refresh.
            var app = found.GetValueOrDefault(applicationId) ?? new ConnectedApp(applicationId, "", [], null, false);
            var created = await tokens.GetCreationDateAsync(token, cancellationToken);
            var expires = await tokens.GetExpirationDateAsync(token, cancellationToken);
            found[applicationId] = app with
            {
                Since = Earliest(app.Since, created),
                LastUsed = Latest(app.LastUsed, created),
                Expires = Latest(app.Expires, expires),
            };
        }

        return found;
    }

    /// <summary>Ends the app's consent and sessions for this user only; its tokens stop refreshing at once.</summary>
    public async Task RevokeAsync(ApplicationUser user, string applicationId, CancellationToken cancellationToken = default)
    {
        await authorizations.RevokeAsync(user.Id, applicationId, status: null, type: null, cancellationToken);
        await tokens.RevokeAsync(user.Id, applicationId, status: null, type: null, cancellationToken);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? first, DateTimeOffset? second) =>
        first is null ? second : second is null ? first : first < second ? first : second;

    private static DateTimeOffset? Latest(DateTimeOffset? first, DateTimeOffset? second) =>
        first is null ? second : second is null ? first : first > second ? first : second;
}
