using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Connect;

/// <summary>
/// OpenIddict's scope store, remembering for <see cref="Lifetime"/> which scopes a set of names resolves to.
/// Every token and authorization request looks its scopes up by name, a token request twice (to validate them,
/// then for their resources), and scopes change rarely: two statements of a client_credentials grant's four.
/// </summary>
/// <remarks>
/// A change made through this store (console, command line, bootstrap) forgets every entry at once on this
/// instance; another instance on the same database sees it within <see cref="Lifetime"/>. Only lookups that found
/// every name are kept, so requests for made-up scope names cannot fill the cache. The entities are shared between
/// requests and only read: scope edits load their scope by id, which is never cached.
/// </remarks>
internal sealed class CachedScopeStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    CachedScopeStore.Changes changes)
    : OpenIddictEntityFrameworkCoreScopeStore(cache, context, options)
{
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(30);

    public override async IAsyncEnumerable<OpenIddictEntityFrameworkCoreScope> FindByNamesAsync(
        ImmutableArray<string> names, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = (typeof(CachedScopeStore), string.Join(' ', names.Order(StringComparer.Ordinal)));
        if (!Cache.TryGetValue(key, out List<OpenIddictEntityFrameworkCoreScope>? scopes) || scopes is null)
        {
            scopes = [];
            await foreach (var scope in base.FindByNamesAsync(names, cancellationToken))
            {
                scopes.Add(scope);
            }

            if (scopes.Count == names.Distinct(StringComparer.Ordinal).Count())
            {
                Cache.Set(key, scopes, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime }.AddExpirationToken(changes.Token));
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
        changes.Signal();
    }

    public override async ValueTask UpdateAsync(OpenIddictEntityFrameworkCoreScope scope, CancellationToken cancellationToken)
    {
        await base.UpdateAsync(scope, cancellationToken);
        changes.Signal();
    }

    public override async ValueTask DeleteAsync(OpenIddictEntityFrameworkCoreScope scope, CancellationToken cancellationToken)
    {
        await base.DeleteAsync(scope, cancellationToken);
        changes.Signal();
    }

    /// <summary>Expires every cached lookup of this instance when a scope is created, changed or deleted.</summary>
    internal sealed class Changes : IDisposable
    {
        private CancellationTokenSource _source = new();

        public IChangeToken Token => new CancellationChangeToken(_source.Token);

        public void Signal()
        {
            using var previous = Interlocked.Exchange(ref _source, new CancellationTokenSource());
            previous.Cancel();
        }

        public void Dispose() => _source.Dispose();
    }
}
