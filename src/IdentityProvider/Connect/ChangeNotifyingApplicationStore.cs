using IdentityProvider.Data;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityProvider.Connect;

/// <summary>
/// OpenIddict's client store, telling every instance when a client is created, changed or deleted (by the console,
/// the command line or bootstrap), so that what they cache of clients (<see cref="PublicClientCors"/>) is read again.
/// </summary>
internal sealed class ChangeNotifyingApplicationStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    ChangeNotifications changes,
    ApplicationDbContext db)
    : OpenIddictEntityFrameworkCoreApplicationStore(cache, context, options)
{
    public override async ValueTask CreateAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken)
    {
        await base.CreateAsync(application, cancellationToken);
        await PublishAsync(cancellationToken);
    }

    public override async ValueTask UpdateAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken)
    {
        await base.UpdateAsync(application, cancellationToken);
        await PublishAsync(cancellationToken);
    }

    public override async ValueTask DeleteAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken)
    {
        await base.DeleteAsync(application, cancellationToken);
        await PublishAsync(cancellationToken);
    }

    private async Task PublishAsync(CancellationToken cancellationToken) =>
        await changes.PublishAsync(db, ChangeTopics.Clients, cancellationToken);
}
