using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// OpenIddict's token store, except that revoking an authorization's tokens (the whole chain, when a redeemed
/// refresh token is replayed) also revokes the tokens that a refresh in flight issues meanwhile.
/// </summary>
/// <remarks>
/// OpenIddict revokes with one UPDATE of the authorization's token rows, and on PostgreSQL that statement only
/// sees the rows that existed when it started. If it meets a token that a concurrent refresh has just redeemed,
/// it waits for that refresh's commit and revokes the token, but not the new tokens committed with it (see
/// <see cref="RefreshTokenRedemption"/>): a working token would outlive the revocation. So the UPDATE is repeated
/// for the tokens not yet revoked until a pass finds none. A pass that waited for a refresh sees what it issued in
/// the next one; a refresh that starts after a pass finds its token revoked and is refused. On SQLite, with one
/// writer at a time, the first pass already sees everything and the second finds nothing.
/// </remarks>
internal sealed class ChainRevokingTokenStore(
    IMemoryCache cache, IOpenIddictEntityFrameworkCoreContext context, IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options)
    : OpenIddictEntityFrameworkCoreTokenStore(cache, context, options)
{
    public override async ValueTask<long> RevokeByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        var db = await Context.GetDbContextAsync(cancellationToken);
        long revoked = 0, pass;
        do
        {
            pass = await db.Set<OpenIddictEntityFrameworkCoreToken>()
                .Where(token => token.Authorization!.Id == identifier && token.Status != Statuses.Revoked)
                .ExecuteUpdateAsync(set => set.SetProperty(token => token.Status, Statuses.Revoked), cancellationToken);
            revoked += pass;
        }
        while (pass > 0);

        return revoked;
    }
}
