using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Data;

public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : ApplicationDbContext(options);
