using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace IdentityProvider.Admin;

/// <summary>
/// Two admins saving the same client, scope or user at the same moment: the store's concurrency check
/// refuses the second save. That admin gets a 409 that says what happened instead of an error page.
/// </summary>
public sealed class ConcurrentChangeFilter : IAsyncPageFilter
{
    public const string Message = "Someone else changed this at the same moment, so your change was not saved. Go back, reload the page and try again.";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (!executed.ExceptionHandled && executed.Exception is OpenIddictExceptions.ConcurrencyException or DbUpdateConcurrencyException)
        {
            executed.ExceptionHandled = true;
            executed.Result = new ContentResult { StatusCode = StatusCodes.Status409Conflict, Content = Message, ContentType = "text/plain; charset=utf-8" };
        }
    }
}
