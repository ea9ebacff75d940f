using IdentityProvider.Data;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Connect;

/// <summary>
/// Lets browser apps (SPAs: public clients) call the endpoints they need from JavaScript — discovery,
/// JWKS, token, userinfo, revocation — from the origins of their registered redirect URIs, and no
/// other origin. No cookies are involved (no credentials mode), so this opens nothing to other sites.
/// </summary>
internal sealed class PublicClientCors : ICorsPolicyProvider
{
    private const string CacheKey = "idp.public-client-origins";
    private static readonly PathString[] BrowserPaths = ["/.well-known", ConnectPaths.Token, ConnectPaths.UserInfo, ConnectPaths.Revoke];
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly IMemoryCache cache;

    /// <summary>The origins are read again after <see cref="CacheFor"/>, or at once when a client changes on any instance.</summary>
    public PublicClientCors(IMemoryCache cache, ChangeNotifications changes)
    {
        this.cache = cache;
        changes.Subscribe(ChangeTopics.Clients, () => cache.Remove(CacheKey));
    }

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !BrowserPaths.Any(path => context.Request.Path.StartsWithSegments(path)))
        {
            return null;
        }

        var allowed = await cache.GetOrCreateAsync(CacheKey, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return PublicClientOriginsAsync(context.RequestServices.GetRequiredService<IOpenIddictApplicationManager>(), context.RequestAborted);
        });
        return allowed!.Contains(origin)
            ? new CorsPolicyBuilder().WithOrigins(origin).WithMethods(HttpMethods.Get, HttpMethods.Post).WithHeaders("Authorization", "Content-Type").Build()
            : null;
    }

    private static async Task<HashSet<string>> PublicClientOriginsAsync(IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (!await applications.HasClientTypeAsync(application, ClientTypes.Public, cancellationToken))
            {
                continue;
            }

            foreach (var uri in await applications.GetRedirectUrisAsync(application, cancellationToken))
            {
                if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http")
                {
                    origins.Add(parsed.GetLeftPart(UriPartial.Authority));
                }
            }
        }

        return origins;
    }
}
