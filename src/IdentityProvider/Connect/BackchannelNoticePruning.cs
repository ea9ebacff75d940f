using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Connect;

/// <summary>Deletes back-channel logout notices sent or given up more than a week ago, once an hour.</summary>
internal sealed class BackchannelNoticePruning(IServiceScopeFactory scopes, TimeProvider time, ILogger<BackchannelNoticePruning> logger)
    : HourlyPruning(scopes, time, logger)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    protected override async Task<int> PruneAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var threshold = Time.GetUtcNow() - Retention;
        return await services.GetRequiredService<ApplicationDbContext>().BackchannelNotices
            .Where(n => n.SentAt < threshold || n.FailedAt < threshold)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
