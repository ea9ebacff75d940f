using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Data;

public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : ApplicationDbContext(options);
