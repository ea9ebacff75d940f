using System.Data.Common;
using Npgsql;

namespace IdentityProvider.Data;

/// <summary>
/// Npgsql settings the provider's queries profit from, applied unless the connection string sets them
/// itself. Statements used twice are prepared, so PostgreSQL stops parsing and planning every query of a
/// token grant again. A connection going back to the pool keeps its session instead of being reset: with
/// prepared statements Npgsql's reset is five statements (CLOSE ALL, UNLISTEN, advisory unlock, two DISCARDs)
/// on every return to the pool, and the provider keeps no state in a session to reset (no LISTEN, no SET, its
/// only lock is transaction-scoped). Together they halved PostgreSQL's CPU per grant (docs/operations.md,
/// "Performance"). Behind a pooler that cannot carry prepared statements (PgBouncer in transaction mode
/// before 1.21), set <c>Max Auto Prepare=0</c>.
/// </summary>
internal static class PostgresConnectionDefaults
{
    public static string Apply(string connectionString)
    {
        // Npgsql's own builder reports every keyword it knows as present; the plain one only what was written,
        // in either of Npgsql's spellings ("Max Auto Prepare" or "MaxAutoPrepare").
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(keyword => keyword.Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Contains(nameof(builder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!written.Contains(nameof(builder.AutoPrepareMinUsages)))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        if (!written.Contains(nameof(builder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
