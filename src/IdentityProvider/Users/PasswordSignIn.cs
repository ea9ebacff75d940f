using IdentityProvider.Audit;
using IdentityProvider.Data;
using IdentityProvider.Observability;
using IdentityProvider.Security;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Users;

/// <summary>
/// Checks a user's password through Identity (so failures count towards lockout) while making every failure cost the
/// same (<see cref="FailedPasswordCheckCost"/>): an unknown, locked-out or not-yet-allowed account, or one whose hash
/// is of another kind, pays for the same hashes as a wrong password, so response times do not reveal which accounts exist.
/// </summary>
public sealed class PasswordSignIn(
    UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, FailedPasswordCheckCost failureCost, ApplicationDbContext db,
    AuditLog audit, ProviderMetrics metrics, IHttpContextAccessor http)
{
    /// <summary>
    /// For the token endpoint: the user if the password is right, without starting a session. The password grant
    /// has no second step, so a two-factor account is refused, and recorded as refused.
    /// </summary>
    public async Task<ApplicationUser?> CheckAsync(string email, string password)
    {
        var (user, result) = await AttemptAsync(email, password, user => signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true), refuseTwoFactor: true);
        return result.Succeeded ? user : null;
    }

    /// <summary>For the login page: starts the session, or the two-factor step when the account has it.</summary>
    public async Task<SignInResult> SignInAsync(string email, string password) =>
        (await AttemptAsync(email, password, user => signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true), refuseTwoFactor: false)).Result;

    private async Task<(ApplicationUser? User, SignInResult Result)> AttemptAsync(
        string email, string password, Func<ApplicationUser, Task<SignInResult>> attempt, bool refuseTwoFactor)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            metrics.SignIn(SignInResult.Failed);
            await failureCost.SpendTheRestAsync(checkedHash: null, password, db);
            CredentialFailures.Mark(http.HttpContext);
            return (null, SignInResult.Failed);
        }

        // Read before the attempt: a right password may be stored again with another hash, and the attempt that
        // locks the account out has checked its password.
        var storedHash = user.PasswordHash;
        var lockedBefore = await users.IsLockedOutAsync(user);
        var result = await attempt(user);
        if (!result.Succeeded && !result.RequiresTwoFactor)
        {
            CredentialFailures.Mark(http.HttpContext);
            // Identity refuses a locked-out or not-yet-allowed account before it hashes anything.
            await failureCost.SpendTheRestAsync(lockedBefore || result.IsNotAllowed ? null : storedHash, password, db);
        }

        var details = result.IsNotAllowed ? "email not confirmed" : null;
        if (refuseTwoFactor && result.Succeeded && user.TwoFactorEnabled)
        {
            result = SignInResult.Failed;
            details = "the account has two-factor sign-in, which the password grant cannot ask for";
        }

        // Only known accounts are recorded: whatever was typed for an unknown one may be a password.
        // A right password with a second factor to come is recorded by the second step.
        if (!result.RequiresTwoFactor)
        {
            metrics.SignIn(result);
            await audit.WriteAsync(
                result.Succeeded ? AuditTypes.SignInSucceeded : result.IsLockedOut ? AuditTypes.LockedOut : AuditTypes.SignInFailed,
                user,
                details: details);
        }

        return (user, result);
    }
}
