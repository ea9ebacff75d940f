using IdentityProvider.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace IdentityProvider.Connect;

/// <summary>
/// An authorization request whose error cannot be sent back to the client (unknown client, missing or
/// unregistered redirect URI), explained to the person on the provider: a 400 page with an error id that is
/// also in the log. Everything shown came from the request and is HTML-encoded by Razor.
/// </summary>
internal sealed record AuthorizeError(
    string ErrorId, bool ClientRegistered, string Error, string? Description, string? ClientId, string? RedirectUri) : IResult
{
    private const string View = "/Pages/Connect/AuthorizeError.cshtml";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        // The security headers middleware leaves /connect to OpenIddict; this answer is a page.
        SecurityHeaders.Apply(httpContext.Response);
        var metadata = httpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
        var page = new ViewResult
        {
            ViewName = View,
            StatusCode = StatusCodes.Status400BadRequest,
            ViewData = new ViewDataDictionary<AuthorizeError>(metadata, new ModelStateDictionary()) { Model = this },
        };
        return page.ExecuteResultAsync(new ActionContext(httpContext, httpContext.GetRouteData(), new ActionDescriptor()));
    }
}
