using System.Collections.Immutable;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Users;

/// <summary>The apps a user has let in: a consent they gave, or a session an app holds (a live refresh token).</summary>
public sealed class ConnectedApps(
    IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens,
    TimeProvider time)
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

    /// <summary>
    /// One session an app holds for the user: its live refresh token. <see cref="Started"/> is when the user signed
    /// in to the app (the authorization's creation), <see cref="LastRefreshed"/> when the token was issued (tokens rotate).
    /// </summary>
    public sealed record AppSession(string TokenId, string AppName, DateTimeOffset? Started, DateTimeOffset? LastRefreshed, DateTimeOffset? Expires);

    /// <summary>The user's live refresh tokens, newest first; <paramref name="apps"/> (from <see cref="ListAsync"/>) names them.</summary>
    public async Task<IReadOnlyList<AppSession>> SessionsAsync(
        ApplicationUser user, IReadOnlyList<ConnectedApp> apps, CancellationToken cancellationToken = default)
    {
        var names = apps.ToDictionary(app => app.ApplicationId, app => app.Name, StringComparer.Ordinal);
        var sessions = new List<AppSession>();
        await foreach (var token in LiveRefreshTokensAsync(user, cancellationToken))
        {
            var applicationId = await tokens.GetApplicationIdAsync(token, cancellationToken);
            var authorization = await tokens.GetAuthorizationIdAsync(token, cancellationToken) is { } authorizationId
                ? await authorizations.FindByIdAsync(authorizationId, cancellationToken)
                : null;
            sessions.Add(new AppSession(
                (await tokens.GetIdAsync(token, cancellationToken))!,
                names.GetValueOrDefault(applicationId ?? "") ?? "Removed app",
                authorization is null ? null : await authorizations.GetCreationDateAsync(authorization, cancellationToken),
                await tokens.GetCreationDateAsync(token, cancellationToken),
                await tokens.GetExpirationDateAsync(token, cancellationToken)));
        }

        return [.. sessions.OrderByDescending(session => session.LastRefreshed)];
    }

    /// <summary>
    /// Ends one session: its refresh token, and its authorization unless that is a consent other sessions share.
    /// Returns false when the token is not a live refresh token of this user.
    /// </summary>
    public async Task<bool> RevokeSessionAsync(ApplicationUser user, string tokenId, CancellationToken cancellationToken = default)
    {
        if (await tokens.FindByIdAsync(tokenId, cancellationToken) is not { } token
            || await tokens.GetSubjectAsync(token, cancellationToken) != user.Id
            || !await tokens.HasTypeAsync(token, TokenTypeIdentifiers.RefreshToken, cancellationToken)
            || !await tokens.TryRevokeAsync(token, cancellationToken))
        {
            return false;
        }

        if (await tokens.GetAuthorizationIdAsync(token, cancellationToken) is { } authorizationId
            && await authorizations.FindByIdAsync(authorizationId, cancellationToken) is { } authorization
            && await authorizations.HasTypeAsync(authorization, AuthorizationTypes.AdHoc, cancellationToken))
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }

        return true;
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

        await foreach (var token in LiveRefreshTokensAsync(user, cancellationToken))
        {
            if (await tokens.GetApplicationIdAsync(token, cancellationToken) is not { } applicationId)
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

    /// <summary>OpenIddict stores token types as URNs (<c>urn:ietf:params:oauth:token-type:refresh_token</c>), not as type hints.</summary>
    private async IAsyncEnumerable<object> LiveRefreshTokensAsync(
        ApplicationUser user, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var token in tokens.FindBySubjectAsync(user.Id, cancellationToken))
        {
            if (!await tokens.HasTypeAsync(token, TokenTypeIdentifiers.RefreshToken, cancellationToken)
                || !await tokens.HasStatusAsync(token, Statuses.Valid, cancellationToken))
            {
                continue;
            }

            // An expired token keeps its status until pruning removes it.
            if (await tokens.GetExpirationDateAsync(token, cancellationToken) is not { } expires || expires > time.GetUtcNow())
            {
                yield return token;
            }
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? first, DateTimeOffset? second) =>
        first is null ? second : second is null ? first : first < second ? first : second;

    private static DateTimeOffset? Latest(DateTimeOffset? first, DateTimeOffset? second) =>
        first is null ? second : second is null ? first : first > second ? first : second;
}
