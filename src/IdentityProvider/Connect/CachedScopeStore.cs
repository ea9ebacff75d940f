using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using IdentityProvider.Data;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Connect;

/// <summary>
/// OpenIddict's scope store, remembering for <see cref="Lifetime"/> which scopes a set of names resolves to.
/// Every token and authorization request looks its scopes up by name, a token request twice (to validate them,
/// then for their resources), and scopes change rarely: two statements of a client_credentials grant's four.
/// </summary>
/// <remarks>
/// A change made through this store (console, command line, bootstrap) forgets every entry at once, on this instance
/// and, through <see cref="ChangeNotifications"/>, on every other one on the same database (or within
/// <see cref="Lifetime"/>, should a notice be lost). The cache holds at most
/// <see cref="Lookups.Capacity"/> lookups of at most <see cref="Lookups.LongestKey"/> characters, so requests for
/// made-up scope names cannot grow it without bound (other lookups simply go to the database). A lookup may name scopes that are not in the store, such as
/// <c>openid</c>, which OpenIddict registers itself. The entities are shared between requests and only read: scope
/// edits load their scope by id, which is never cached.
/// </remarks>
internal sealed class CachedScopeStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    CachedScopeStore.Lookups lookups,
    ChangeNotifications changes,
    ApplicationDbContext db)
    : OpenIddictEntityFrameworkCoreScopeStore(cache, context, options)
{
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(30);

    public override async IAsyncEnumerable<OpenIddictEntityFrameworkCoreScope> FindByNamesAsync(
        ImmutableArray<string> names, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = string.Join(' ', names.Order(StringComparer.Ordinal));
        if (!lookups.Cache.TryGetValue(key, out List<OpenIddictEntityFrameworkCoreScope>? scopes) || scopes is null)
        {
            scopes = [];
            await foreach (var scope in base.FindByNamesAsync(names, cancellationToken))
            {
                scopes.Add(scope);
            }

            if (key.Length <= Lookups.LongestKey)
            {
                lookups.Cache.Set(key, scopes, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = 1 });
            }
        }

        foreach (var scope in scopes)
        {
            yield return scope;
        }
    }

    public override async ValueTask CreateAsync(OpenIddictEntityFrameworkCoreScope scope, CancellationToken cancellationToken)
    {
        await base.CreateAsync(scope, cancellationToken);
        await changes.PublishAsync(db, ChangeTopics.Scopes, cancellationToken);
    }

    public override async ValueTask UpdateAsync(OpenIddictEntityFrameworkCoreScope scope, CancellationToken cancellationToken)
    {
        await base.UpdateAsync(scope, cancellationToken);
        await changes.PublishAsync(db, ChangeTopics.Scopes, cancellationToken);
    }

    public override async ValueTask DeleteAsync(OpenIddictEntityFrameworkCoreScope scope, CancellationToken cancellationToken)
    {
        await base.DeleteAsync(scope, cancellationToken);
        await changes.PublishAsync(db, ChangeTopics.Scopes, cancellationToken);
    }

    /// <summary>The lookups of this instance, cleared when a scope is created, changed or deleted.</summary>
    internal sealed class Lookups : IDisposable
    {
        public Lookups(ChangeNotifications changes) => changes.Subscribe(ChangeTopics.Scopes, () => Cache.Clear());

        public const int Capacity = 1_000;

        public const int LongestKey = 1_000;

        public MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = Capacity });

        public void Dispose() => Cache.Dispose();
    }
}
