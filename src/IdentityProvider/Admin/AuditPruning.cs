using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Admin;

/// <summary>Deletes audit entries older than <c>Admin:AuditRetention</c>, once an hour.</summary>
internal sealed class AuditPruning(
    IServiceScopeFactory scopes, IOptions<AdminOptions> options, TimeProvider time, ILogger<AuditPruning> logger)
    : HourlyPruning(scopes, time, logger)
{
    protected override async Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var threshold = Time.GetUtcNow() - options.Value.AuditRetention;
        return await services.GetRequiredService<ApplicationDbContext>().AuditEvents.Where(a => a.At < threshold).ExecuteDeleteAsync(cancellationToken);
    }
}
