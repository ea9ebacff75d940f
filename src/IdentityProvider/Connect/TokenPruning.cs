using IdentityProvider.Data;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityProvider.Connect;

/// <summary>Removes expired and revoked tokens and authorizations once an hour.</summary>
internal sealed class TokenPruning(
    IServiceScopeFactory scopes, IOptions<IdpOptions> idp, TimeProvider time, ILogger<TokenPruning> logger)
    : HourlyPruning(scopes, time, logger)
{
    protected override async Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // A redeemed refresh token's entry must outlive the token itself, or a replay of it
        // would no longer be recognised as one (and would not revoke the chain).
        var threshold = Time.GetUtcNow() - idp.Value.RefreshTokenAbsoluteLifetime;
        return (int)(await services.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken)
            + await services.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken));
    }
}
