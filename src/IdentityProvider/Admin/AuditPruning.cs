using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Admin;

/// <summary>Deletes audit entries older than <c>Admin:AuditRetention</c>, once an hour.</summary>
internal sealed partial class AuditPruning(
    IServiceScopeFactory scopes, IOptions<AdminOptions> options, TimeProvider time, ILogger<AuditPruning> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPruneFailed(logger, exception);
            }
        }
    }

    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var threshold = time.GetUtcNow() - options.Value.AuditRetention;
        return await db.AuditEvents.Where(a => a.At < threshold).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the audit log failed; will retry at the next interval.")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
