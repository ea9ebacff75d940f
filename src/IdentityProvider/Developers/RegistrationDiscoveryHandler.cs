using IdentityProvider.Connect;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Developers;

/// <summary>Advertises dynamic client registration (RFC 7591 §3, RFC 8414 <c>registration_endpoint</c>) in the discovery document.</summary>
internal sealed class RegistrationDiscoveryHandler : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<RegistrationDiscoveryHandler>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachIssuer.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        if (context.Issuer is { } issuer)
        {
            context.Metadata["registration_endpoint"] = new Uri(issuer, ConnectPaths.Relative(ConnectPaths.Register)).AbsoluteUri;
        }

        return default;
    }
}
