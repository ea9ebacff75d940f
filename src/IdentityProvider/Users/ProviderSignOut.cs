using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Users;

/// <summary>Ends the user's session with the provider itself (the single sign-on cookie).</summary>
public sealed class ProviderSignOut(SignInManager<ApplicationUser> signIn)
{
    public async Task SignOutAsync() => await signIn.SignOutAsync();
}
