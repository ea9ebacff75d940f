using OpenIddict.Abstractions;

namespace IdentityProvider.Users;

/// <summary>Ends every token and authorization issued to a user, e.g. after a password reset.</summary>
public sealed class SessionRevocation(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations)
{
    public async Task RevokeAllAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        await authorizations.RevokeBySubjectAsync(user.Id, cancellationToken);
        await tokens.RevokeBySubjectAsync(user.Id, cancellationToken);
    }
}
