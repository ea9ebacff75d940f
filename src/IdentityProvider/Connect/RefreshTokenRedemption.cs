using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityProvider.Connect;

/// <summary>
/// Redeems a presented refresh token at most once, whatever the concurrency and across instances
/// (RFC 9700 §4.14.2: a rotated refresh token is invalidated on use, so one token cannot start two chains).
/// </summary>
/// <remarks>
/// OpenIddict checks the token row's status while authenticating the request and marks it redeemed later, in
/// <see cref="OpenIddictServerHandlers.RedeemTokenEntry"/>, which ignores a failed redemption for refresh tokens
/// (it allows for its reuse leeway). Requests that read the row before either has written it all pass. Here the
/// row goes from valid to redeemed in one conditional UPDATE, so the database picks the one winner; OpenIddict's
/// handler is kept for everything else (<see cref="Replaces"/>). A later replay still meets a redeemed row in
/// OpenIddict's own check, which revokes the chain.
/// With a reuse leeway configured, a redeemed token is accepted again by design, and OpenIddict's handling stays.
/// </remarks>
internal sealed class RefreshTokenRedemption(ApplicationDbContext db) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .UseScopedHandler<RefreshTokenRedemption>()
            .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>OpenIddict's redemption step, left with authorization codes, device codes and leeway refreshes.</summary>
    public static OpenIddictServerHandlerDescriptor Replaces { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .Import(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor)
            .AddFilter<RedeemsElsewhere>()
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (!IsRefreshWithoutLeeway(context))
        {
            return;
        }

        var authentication = context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!);
        var id = authentication?.RefreshTokenPrincipal?.GetTokenId();
        if (string.IsNullOrEmpty(id))
        {
            return;
        }

        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var redeemed = await db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(token => token.Id == id && token.Status == Statuses.Valid)
            .ExecuteUpdateAsync(set => set
                .SetProperty(token => token.Status, Statuses.Redeemed)
                .SetProperty(token => token.RedemptionDate, now)
                // A store update still holding the row as it was read must now fail its concurrency check.
                .SetProperty(token => token.ConcurrencyToken, Guid.NewGuid().ToString()));

        // Another request redeemed it between OpenIddict's status check and here. Not a replay after the fact, so
        // the chain is left alone: the winner's new refresh token stays usable (a parallel retry by one client).
        if (redeemed == 0)
        {
            context.Reject(
                error: Errors.InvalidGrant,
                description: "The specified refresh token has already been redeemed.");
        }
    }

    private static bool IsRefreshWithoutLeeway(ProcessSignInContext context) =>
        context.EndpointType is OpenIddictServerEndpointType.Token &&
        context.Request.IsRefreshTokenGrantType() &&
        !context.Options.DisableRollingRefreshTokens &&
        (context.Options.RefreshTokenReuseLeeway ?? TimeSpan.Zero) <= TimeSpan.Zero;

    /// <summary>Registered as a singleton: OpenIddict resolves handler filters from the container.</summary>
    internal sealed class RedeemsElsewhere : IOpenIddictServerHandlerFilter<ProcessSignInContext>
    {
        public ValueTask<bool> IsActiveAsync(ProcessSignInContext context) => new(!IsRefreshWithoutLeeway(context));
    }
}
