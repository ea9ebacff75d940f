using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Connect;

/// <summary>
/// A logout request OpenIddict rejects (a bad or foreign <c>id_token_hint</c>, a
/// <c>post_logout_redirect_uri</c> not registered for the client) still lets the user sign out: they
/// get the "do you want to sign out?" page, which never sends them to the unverified address.
/// OpenIddict would otherwise answer with a bare 400.
/// </summary>
internal sealed class EndSessionErrorHandler : IOpenIddictServerHandler<ApplyEndSessionResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyEndSessionResponseContext>()
            .UseSingletonHandler<EndSessionErrorHandler>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyEndSessionResponseContext context)
    {
        if (string.IsNullOrEmpty(context.Error))
        {
            return default;
        }

        var response = context.Transaction.GetHttpRequest()?.HttpContext.Response
            ?? throw new InvalidOperationException("The end-session response has no HTTP context.");
        response.Redirect("/Account/Logout");
        context.HandleRequest();
        return default;
    }
}
