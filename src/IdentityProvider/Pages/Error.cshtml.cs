using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages;

/// <summary>
/// The body of an error status (see <see cref="ErrorPages"/>). It is re-executed with the failed request's method,
/// so a refused POST arrives as a POST without a valid antiforgery token: the page is prepared in the filter step,
/// which runs with or without a handler, and ignores the token.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    /// <summary>Where signing in as someone else leads back to: the refused page, if it was asked for with GET.</summary>
    public string? ReturnUrl { get; private set; }

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        if (original is null)
        {
            // Only ever an answer to another request; asked for directly, there is nothing here.
            context.Result = NotFound();
            return;
        }

        Status = Response.StatusCode;
        (Title, Message) = Status switch
        {
            StatusCodes.Status400BadRequest => ("Request not accepted", "This request could not be handled. If you were sending a form, it may have expired or come from another window: go back, reload the page and try again."),
            StatusCodes.Status403Forbidden => ("No access", "You do not have access to this page."),
            StatusCodes.Status404NotFound => ("Page not found", "There is nothing at this address: the link may be mistyped, or what it pointed to was removed."),
            _ => ("Something went wrong", $"This request could not be handled (HTTP {Status})."),
        };
        if (HttpMethods.IsGet(Request.Method))
        {
            ReturnUrl = original.OriginalPathBase + original.OriginalPath + original.OriginalQueryString;
        }
    }
}
