using IdentityProvider.Audit;
using IdentityProvider.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IdentityProvider.Data;

public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : ApplicationDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // SQLite cannot compare DateTimeOffset text; the audit log and the outbox are filtered and pruned by time.
        builder.Entity<AuditEvent>().Property(a => a.At).HasConversion(new DateTimeOffsetToBinaryConverter());
        builder.Entity<ScheduledJob>().Property(j => j.LastStartedAt).HasConversion(new DateTimeOffsetToBinaryConverter());
        builder.Entity<OutboxMessage>(message =>
        {
            message.Property(m => m.CreatedAt).HasConversion(new DateTimeOffsetToBinaryConverter());
            message.Property(m => m.NextAttemptAt).HasConversion(new DateTimeOffsetToBinaryConverter());
            message.Property(m => m.LockedUntil).HasConversion(new DateTimeOffsetToBinaryConverter());
            message.Property(m => m.SentAt).HasConversion(new DateTimeOffsetToBinaryConverter());
            message.Property(m => m.FailedAt).HasConversion(new DateTimeOffsetToBinaryConverter());
        });
    }
}
