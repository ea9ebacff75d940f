using IdentityProvider.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Developers;

/// <summary>
/// Who may use the developer portal: a signed-in user whose email is confirmed and who holds the developer role, or
/// any such user while <c>Developers:OpenRegistration</c> is on.
/// </summary>
public sealed class DeveloperAccess(UserManager<ApplicationUser> users, IOptions<DevelopersOptions> options)
    : AuthorizationHandler<DeveloperAccess.Requirement>
{
    public const string Policy = "Developer";

    public sealed class Requirement : IAuthorizationRequirement;

    /// <summary>Whether the portal is open to this user's roles (the confirmed email is checked by the policy).</summary>
    public static bool OpensTo(System.Security.Claims.ClaimsPrincipal user, DevelopersOptions options) =>
        options.OpenRegistration || user.IsInRole(DevelopersOptions.Role);

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
    {
        if (OpensTo(context.User, options.Value) && await users.GetUserAsync(context.User) is { EmailConfirmed: true })
        {
            context.Succeed(requirement);
        }
    }
}
