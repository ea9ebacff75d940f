using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Developers;

/// <summary>
/// The client ids of third-party apps that may sign nobody in (waiting for approval, or suspended), read once a
/// minute or at once when a client changes on any instance: one dictionary lookup per authorization and token request.
/// </summary>
public sealed class HeldApps
{
    private const string CacheKey = "idp.held-apps";
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly IMemoryCache cache;
    private readonly IServiceScopeFactory scopes;

    public HeldApps(IMemoryCache cache, IServiceScopeFactory scopes, ChangeNotifications changes)
    {
        this.cache = cache;
        this.scopes = scopes;
        changes.Subscribe(ChangeTopics.Clients, () => cache.Remove(CacheKey));
    }

    /// <summary>Why the client may not sign anyone in, or null when it may.</summary>
    public async ValueTask<ReviewState?> StateOfAsync(string clientId, CancellationToken cancellationToken)
    {
        // Every authorization and token request asks: the cached set is read without a closure or a task.
        if (!cache.TryGetValue(CacheKey, out Dictionary<string, ReviewState>? held))
        {
            held = cache.Set(CacheKey, await ReadAsync(cancellationToken), CacheFor);
        }

        return held!.TryGetValue(clientId, out var state) ? state : null;
    }

    private async Task<Dictionary<string, ReviewState>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        return await (
            from app in db.ThirdPartyApps
            join application in db.Set<OpenIddictEntityFrameworkCoreApplication>() on app.ApplicationId equals application.Id
            where app.Review != ReviewState.Approved && application.ClientId != null
            select new { application.ClientId, app.Review })
            .ToDictionaryAsync(held => held.ClientId!, held => held.Review, StringComparer.Ordinal, cancellationToken);
    }
}
