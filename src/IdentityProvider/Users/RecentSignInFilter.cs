using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

/// <summary>
/// Pages that want a recent password, and the second factor for users who have one: an older sign-in, or
/// one without the second factor, is sent to the login page first and comes back. The admin console wants it
/// for every request (<c>Admin:RecentSignIn</c>), the account pages that change how an account signs in for
/// their changes (<c>Accounts:RecentSignInForChanges</c>), so a borrowed or stolen session cannot make them.
/// </summary>
internal abstract class RecentSignInFilter(
    UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, TimeProvider time) : IAsyncPageFilter
{
    protected abstract TimeSpan Window { get; }

    protected virtual bool Applies(HttpRequest request) => true;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!Applies(context.HttpContext.Request))
        {
            await next();
            return;
        }

        var session = await context.HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var stale = ProviderSession.GetAuthTime(session.Properties) is not { } authTime || time.GetUtcNow() - authTime > Window;
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

/// <summary>Every request of the admin console.</summary>
internal sealed class AdminRecentSignIn(
    IOptions<Admin.AdminOptions> options, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, TimeProvider time)
    : RecentSignInFilter(users, signIn, time)
{
    protected override TimeSpan Window => options.Value.RecentSignIn;
}

/// <summary>The changes (POSTs) on the account pages that change how the account signs in; showing them needs nothing more.</summary>
internal sealed class AccountChangeRecentSignIn(
    IOptions<AccountOptions> options, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, TimeProvider time)
    : RecentSignInFilter(users, signIn, time)
{
    protected override TimeSpan Window => options.Value.RecentSignInForChanges;

    protected override bool Applies(HttpRequest request) => !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
}
