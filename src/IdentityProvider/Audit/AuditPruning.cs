using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Audit;

/// <summary>Deletes audit entries older than <c>Audit:Retention</c>, once an hour.</summary>
internal sealed class AuditPruning(
    IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditPruning> logger)
    : HourlyPruning(scopes, time, logger)
{
    protected override async Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var threshold = Time.GetUtcNow() - options.Value.Retention;
        return await services.GetRequiredService<ApplicationDbContext>().AuditEvents.Where(a => a.At < threshold).ExecuteDeleteAsync(cancellationToken);
    }
}
