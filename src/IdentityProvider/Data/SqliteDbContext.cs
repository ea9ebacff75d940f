using IdentityProvider.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IdentityProvider.Data;

public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : ApplicationDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // SQLite cannot compare DateTimeOffset text; the audit log is filtered and pruned by time.
        builder.Entity<AuditEvent>().Property(a => a.At).HasConversion(new DateTimeOffsetToBinaryConverter());
    }
}
