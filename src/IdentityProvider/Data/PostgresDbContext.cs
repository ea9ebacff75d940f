using IdentityProvider.Security;
using IdentityProvider.Users;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Data;

public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : ApplicationDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The admin console searches users by any part of the address or name, and the audit log by any part
        // of the user's address (LIKE '%term%'): trigram indexes answer that without reading every row. Those on
        // upper("DisplayName") and upper("UserEmail") are expression indexes, made by the migrations' SQL
        // (UserListIndexes, AuditLogIndexes).
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<ApplicationUser>().HasIndex(u => u.NormalizedEmail, "IX_AspNetUsers_NormalizedEmail_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");

        // Shared by the instances on this database; the embedded store counts in memory instead.
        builder.Entity<RateLimitCounter>(counter =>
        {
            counter.ToTable("RateLimitCounters").IsUnlogged();
            counter.HasKey(c => c.Key);
            counter.Property(c => c.Key).HasMaxLength(600);
            counter.HasIndex(c => c.WindowEnds);
        });
    }
}
