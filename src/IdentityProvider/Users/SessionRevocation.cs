using IdentityProvider.Connect;
using OpenIddict.Abstractions;

namespace IdentityProvider.Users;

/// <summary>Ends the tokens and authorizations issued to a user (all of them, e.g. after a password reset, or one app's) and tells the apps.</summary>
public sealed class SessionRevocation(
    IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, BackchannelLogout backchannel)
{
    /// <summary>Returns how many authorizations and tokens were revoked.</summary>
    public async Task<(long Authorizations, long Tokens)> RevokeAllAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        // First: the apps to tell are the ones still holding grants.
        await backchannel.NotifyAsync(user, sessionId: null, cancellationToken: cancellationToken);
        return (await authorizations.RevokeBySubjectAsync(user.Id, cancellationToken), await tokens.RevokeBySubjectAsync(user.Id, cancellationToken));
    }

    /// <summary>Ends one app's consent and sessions for this user only, and tells that app; its tokens stop refreshing at once.</summary>
    public async Task RevokeAppAsync(ApplicationUser user, string applicationId, CancellationToken cancellationToken = default)
    {
        await backchannel.NotifyAsync(user, sessionId: null, applicationId, cancellationToken);
        await authorizations.RevokeAsync(user.Id, applicationId, status: null, type: null, cancellationToken);
        await tokens.RevokeAsync(user.Id, applicationId, status: null, type: null, cancellationToken);
    }
}
