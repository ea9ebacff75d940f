using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
/// <para>
/// OpenIddict checks the token row's status while authenticating the request and marks it redeemed later, in
/// <see cref="OpenIddictServerHandlers.RedeemTokenEntry"/>, which ignores a failed redemption for refresh tokens
/// (it allows for its reuse leeway). Requests that read the row before either has written it all pass. Here the
/// row goes from valid to redeemed in one conditional UPDATE, so the database picks the one winner; OpenIddict's
/// handler is kept for everything else (<see cref="Replaces"/>).
/// </para>
/// <para>
/// The UPDATE opens a transaction that <see cref="CommitWithNewTokens"/> commits once OpenIddict has stored the
/// new tokens, before the answer is sent, so the redemption and the tokens issued for it become visible together.
/// That draws one line for every other request with the same token. One that read the row before the commit found
/// it valid: it waits for the winner to commit, changes nothing and gets invalid_grant, and the chain is left alone
/// (a parallel retry; the winner's new tokens stay usable). One that reads it after finds it redeemed: OpenIddict
/// treats it as a replay and revokes every token of the authorization, which by then includes the winner's new
/// ones (RFC 9700 §4.14.2: after a replay no token of the chain may work). A replay that lands while a newer token
/// of the chain is being refreshed is <see cref="ChainRevokingTokenStore"/>'s part.
/// </para>
/// <para>
/// With a reuse leeway configured, a redeemed token is accepted again by design, and OpenIddict's handling stays.
/// </para>
/// </remarks>
internal sealed class RefreshTokenRedemption(ApplicationDbContext db) : IOpenIddictServerHandler<ProcessSignInContext>
{
    private static readonly string TransactionProperty = typeof(RefreshTokenRedemption).FullName!;

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

        // Savepoints would only add round trips: if any step fails, the whole transaction is rolled back.
        db.Database.AutoSavepointsEnabled = false;
        var transaction = await db.Database.BeginTransactionAsync();
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
            await transaction.DisposeAsync();
            context.Reject(
                error: Errors.InvalidGrant,
                description: "The specified refresh token has already been redeemed.");
            return;
        }

        context.Transaction.SetProperty(TransactionProperty, transaction);
    }

    private static bool IsRefreshWithoutLeeway(ProcessSignInContext context) =>
        context.EndpointType is OpenIddictServerEndpointType.Token &&
        context.Request.IsRefreshTokenGrantType() &&
        !context.Options.DisableRollingRefreshTokens &&
        (context.Options.RefreshTokenReuseLeeway ?? TimeSpan.Zero) <= TimeSpan.Zero;

    /// <summary>Commits the redemption together with the tokens issued for it, before the answer is sent.</summary>
    internal sealed class CommitWithNewTokens : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
                .UseSingletonHandler<CommitWithNewTokens>()
                .SetOrder(OpenIddictServerHandlers.Exchange.ApplyTokenResponse<ProcessSignInContext>.Descriptor.Order - 1_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public async ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (context.Transaction.GetProperty<IDbContextTransaction>(TransactionProperty) is { } transaction)
            {
                await transaction.CommitAsync();
                await transaction.DisposeAsync();
            }
        }
    }

    /// <summary>Registered as a singleton: OpenIddict resolves handler filters from the container.</summary>
    internal sealed class RedeemsElsewhere : IOpenIddictServerHandlerFilter<ProcessSignInContext>
    {
        public ValueTask<bool> IsActiveAsync(ProcessSignInContext context) => new(!IsRefreshWithoutLeeway(context));
    }
}
