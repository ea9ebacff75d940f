using IdentityProvider.Data;
using IdentityProvider.Jobs;
using IdentityProvider.Users;
using OpenIddict.Abstractions;

namespace IdentityProvider.Connect;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0: when a user's session ends, every app that holds a session
/// for the user and registered a <c>backchannel_logout_uri</c> is told, server to server. This only
/// stores the notices; <see cref="BackchannelLogoutSender"/> signs and sends them, so the user's
/// request never waits on an app.
/// </summary>
public sealed class BackchannelLogout(
    ConnectedApps connectedApps, IOpenIddictApplicationManager applications, IServiceScopeFactory scopes,
    JobSignal<BackchannelNotice> signal, TimeProvider time)
{
    /// <summary>The application setting that holds the client's back-channel logout address.</summary>
    public const string UriSetting = "backchannel_logout_uri";

    /// <summary>The application setting that lets that address be a private one (see <see cref="PrivateNetworkGuard"/>).</summary>
    public const string PrivateNetworkSetting = "backchannel_logout_private_network";

    /// <summary>
    /// <paramref name="sessionId"/> names the provider session that ended (the <c>sid</c> the apps saw in
    /// their id_tokens); null means every session of the user (a password reset, "sign out everywhere").
    /// Call it before revoking the user's grants: the apps that hold them are the ones told (with
    /// <paramref name="onlyApplicationId"/>, only that one of them).
    /// </summary>
    public async Task NotifyAsync(ApplicationUser user, string? sessionId, string? onlyApplicationId = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var notices = new List<BackchannelNotice>();
        foreach (var applicationId in await connectedApps.ApplicationIdsAsync(user, cancellationToken))
        {
            if (onlyApplicationId is not null && applicationId != onlyApplicationId)
            {
                continue;
            }

            if (await applications.FindByIdAsync(applicationId, cancellationToken) is not { } application ||
                await applications.GetSettingsAsync(application, cancellationToken) is not { } settings ||
                settings.GetValueOrDefault(UriSetting) is not { } uri ||
                await applications.GetClientIdAsync(application, cancellationToken) is not { } clientId)
            {
                continue;
            }

            notices.Add(new BackchannelNotice
            {
                ClientId = clientId,
                Uri = uri,
                Subject = user.Id,
                SessionId = sessionId,
                ToPrivateNetwork = settings.GetValueOrDefault(PrivateNetworkSetting) == bool.TrueString,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        if (notices.Count == 0)
        {
            return;
        }

        // A context of its own: the caller's unsaved changes must not be saved early with the notices.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        db.BackchannelNotices.AddRange(notices);
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
    }
}
