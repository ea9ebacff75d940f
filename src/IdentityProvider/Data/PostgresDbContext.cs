using IdentityProvider.Users;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Data;

public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : ApplicationDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The admin console searches users by any part of the address or name (LIKE '%term%'): trigram
        // indexes answer that without reading every row. The one on upper("DisplayName") is an expression
        // index, made by the UserListIndexes migration's SQL.
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<ApplicationUser>().HasIndex(u => u.NormalizedEmail, "IX_AspNetUsers_NormalizedEmail_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
    }
}
