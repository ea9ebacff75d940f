using IdentityProvider.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Admin;

/// <summary>
/// The admin console wants a recent password, and the second factor for admins who have one: an older
/// sign-in, or one without the second factor, is sent to the login page first and comes back here.
/// </summary>
internal sealed class RecentSignInFilter(
    IOptions<AdminOptions> options, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, TimeProvider time) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var session = await context.HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var stale = ProviderSession.GetAuthTime(session.Properties) is not { } authTime || time.GetUtcNow() - authTime > options.Value.RecentSignIn;
        // Identity marks a sign-in that passed the second factor with amr=mfa; a remembered browser does not count.
        // Only a fresh session without it needs the user read, to see whether they have a second factor.
        var missingSecondFactor = !stale && !context.HttpContext.User.HasClaim("amr", "mfa")
            && await users.GetUserAsync(context.HttpContext.User) is { TwoFactorEnabled: true };
        if (stale || missingSecondFactor)
        {
            if (missingSecondFactor)
            {
                await signIn.ForgetTwoFactorClientAsync();
            }

            var request = context.HttpContext.Request;
            // Only a GET can be replayed after the login; a stale POST goes back to its page.
            var returnUrl = HttpMethods.IsGet(request.Method) ? request.Path + request.QueryString : request.Path.ToString();
            context.Result = new RedirectToPageResult("/Account/Login", new { ReturnUrl = returnUrl, reauthenticate = true });
            return;
        }

        await next();
    }
}
