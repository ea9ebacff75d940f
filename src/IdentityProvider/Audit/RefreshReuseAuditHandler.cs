using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Audit;

/// <summary>
/// Records a replayed refresh token (OpenIddict's error ID2012: already redeemed), which OpenIddict answers by
/// revoking the token's whole chain: a sign that a refresh token may have been stolen.
/// </summary>
internal sealed class RefreshReuseAuditHandler(AuditLog audit) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<RefreshReuseAuditHandler>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>OpenIddict's answer to a refresh token already redeemed (ID2012), after which it revoked the chain.</summary>
    public static bool IsReplayAnswer(ApplyTokenResponseContext context) =>
        context.Request?.IsRefreshTokenGrantType() == true && context.Response.ErrorUri?.EndsWith("/ID2012", StringComparison.Ordinal) == true;

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (IsReplayAnswer(context))
        {
            await audit.WriteAsync(AuditTypes.RefreshTokenReused, clientId: context.Request?.ClientId,
                details: "an already redeemed refresh token was presented again; its whole chain was revoked");
        }
    }
}
