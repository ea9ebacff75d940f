using IdentityProvider.Audit;
using IdentityProvider.Developers;
using IdentityProvider.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IdentityProvider.Data;

public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : ApplicationDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // SQLite cannot compare DateTimeOffset text; the audit log and the queued jobs are filtered and pruned by time.
        builder.Entity<AuditEvent>().Property(a => a.At).HasConversion(new DateTimeOffsetToBinaryConverter());
        builder.Entity<ScheduledJob>().Property(j => j.LastStartedAt).HasConversion(new DateTimeOffsetToBinaryConverter());
        builder.Entity<InitialAccessToken>().Property(t => t.ExpiresAt).HasConversion(new DateTimeOffsetToBinaryConverter());
        builder.Entity<InitialAccessToken>().Property(t => t.CreatedAt).HasConversion(new DateTimeOffsetToBinaryConverter());
        builder.Entity<ThirdPartyApp>().Property(a => a.CreatedAt).HasConversion(new DateTimeOffsetToBinaryConverter());
        foreach (var job in builder.Model.GetEntityTypes().Where(type => typeof(QueuedJob).IsAssignableFrom(type.ClrType)).ToList())
        {
            foreach (var time in new[] { nameof(QueuedJob.CreatedAt), nameof(QueuedJob.NextAttemptAt), nameof(QueuedJob.LockedUntil), nameof(QueuedJob.SentAt), nameof(QueuedJob.FailedAt) })
            {
                builder.Entity(job.ClrType).Property(time).HasConversion(new DateTimeOffsetToBinaryConverter());
            }
        }
    }
}
