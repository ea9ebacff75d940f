using IdentityProvider.Connect;
using OpenIddict.Abstractions;

namespace IdentityProvider.Users;

/// <summary>Ends every token and authorization issued to a user, e.g. after a password reset, and tells the apps.</summary>
public sealed class SessionRevocation(
    IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, BackchannelLogout backchannel)
{
    /// <summary>Returns how many authorizations and tokens were revoked.</summary>
    public async Task<(long Authorizations, long Tokens)> RevokeAllAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        // First: the apps to tell are the ones still holding grants.
        await backchannel.NotifyAsync(user, sessionId: null, cancellationToken);
        return (await authorizations.RevokeBySubjectAsync(user.Id, cancellationToken), await tokens.RevokeBySubjectAsync(user.Id, cancellationToken));
    }
}
