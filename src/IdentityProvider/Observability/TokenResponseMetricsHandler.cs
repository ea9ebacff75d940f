using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Observability;

/// <summary>Counts every token endpoint answer as it leaves: issued, or refused with its OAuth error.</summary>
internal sealed class TokenResponseMetricsHandler(ProviderMetrics metrics) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<TokenResponseMetricsHandler>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var grantType = context.Request?.GrantType;
        if (context.Response.Error is not { } error)
        {
            metrics.TokensIssued(grantType, context.Request?.ClientId);
            return ValueTask.CompletedTask;
        }

        metrics.TokenRequestRefused(grantType, error);
        if (Audit.RefreshReuseAuditHandler.IsReplayAnswer(context))
        {
            metrics.RefreshTokenReplayed(context.Request?.ClientId);
        }

        return ValueTask.CompletedTask;
    }
}
