using IdentityProvider.Connect;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Users;

/// <summary>Ends the user's session with the provider (the single sign-on cookie) and tells the apps that shared it.</summary>
public sealed class ProviderSignOut(
    SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, BackchannelLogout backchannel)
{
    public async Task SignOutAsync()
    {
        var session = await signIn.Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;
        await signIn.SignOutAsync();
        if (user is not null)
        {
            await backchannel.NotifyAsync(user, ProviderSession.GetSessionId(session.Properties));
        }
    }
}
