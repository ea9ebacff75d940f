using IdentityProvider.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace IdentityProvider.Tests;

public sealed class ConcurrentChangeFilterTests
{
    public static TheoryData<Exception> ConcurrencyFailures =>
        [new OpenIddictExceptions.ConcurrencyException("The application was concurrently updated."), new DbUpdateConcurrencyException("Row changed.")];

    private static async Task<PageHandlerExecutedContext> RunAsync(Exception exception)
    {
        var page = new PageContext(new ActionContext(new DefaultHttpContext(), new RouteData(), new CompiledPageActionDescriptor()));
        var executing = new PageHandlerExecutingContext(page, [], handlerMethod: null, handlerArguments: new Dictionary<string, object?>(), handlerInstance: new object());
        var executed = new PageHandlerExecutedContext(page, [], handlerMethod: null, handlerInstance: new object()) { Exception = exception };
        await new ConcurrentChangeFilter().OnPageHandlerExecutionAsync(executing, () => Task.FromResult(executed));
        return executed;
    }

    [Theory]
    [MemberData(nameof(ConcurrencyFailures))]
    public async Task AConcurrentChange_Becomes409WithAnExplanation(Exception exception)
    {
        var executed = await RunAsync(exception);

        Assert.True(executed.ExceptionHandled);
        var result = Assert.IsType<ContentResult>(executed.Result);
        Assert.Equal(StatusCodes.Status409Conflict, result.StatusCode);
        Assert.Equal(ConcurrentChangeFilter.Message, result.Content);
    }

    [Fact]
    public async Task OtherFailures_AreLeftAlone()
    {
        var executed = await RunAsync(new InvalidOperationException("Something else."));

        Assert.False(executed.ExceptionHandled);
        Assert.Null(executed.Result);
    }
}
