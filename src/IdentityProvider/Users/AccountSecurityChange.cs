using IdentityProvider.Audit;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Users;

/// <summary>
/// What every self-service change of how an account signs in (its password, its email address, its second
/// factor) does once Identity has made it, the same way each time. The security stamp changed, so the user's
/// other browser sessions end within a minute; the browser that made the change, if it is the user's, is signed
/// in again under the new stamp; every app's grant is revoked and the apps are told (back-channel logout); the
/// user is mailed; the change is audited.
/// </summary>
public sealed class AccountSecurityChange(
    UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, SessionRevocation sessions, AuditLog audit)
{
    public async Task CompleteAsync(ApplicationUser user, string auditType, Func<Task> mailTheUser, string? details = null)
    {
        if (users.GetUserId(signIn.Context.User) == user.Id)
        {
            await signIn.RefreshSignInAsync(user);
        }

        await sessions.RevokeAllAsync(user);
        await mailTheUser();
        await audit.WriteAsync(auditType, user, details: details);
    }
}
