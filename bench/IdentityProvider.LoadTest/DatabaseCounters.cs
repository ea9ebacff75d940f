using Npgsql;

namespace IdentityProvider.LoadTest;

/// <summary>
/// What the provider's database executed, from PostgreSQL's pg_stat_statements, which counts each statement as it
/// ends (pg_stat_database would do for transactions, but an idle backend reports to it only up to 10 s later).
/// The counters are read from the "postgres" database, where the extension is created, so reading them does not count.
/// </summary>
internal sealed class DatabaseCounters(NpgsqlDataSource dataSource, string database) : IAsyncDisposable
{
    /// <summary>Statements other than transaction control; the explicit transactions they ran in; rows they wrote and read.</summary>
    public sealed record Reading(long Statements, long Transactions, long RowsWritten, long RowsRead)
    {
        public static Reading operator -(Reading after, Reading before) => new(
            after.Statements - before.Statements,
            after.Transactions - before.Transactions,
            after.RowsWritten - before.RowsWritten,
            after.RowsRead - before.RowsRead);
    }

    public static async Task<DatabaseCounters> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database ?? throw new InvalidOperationException("--postgres needs Database=<the provider's database>.");
        builder.Database = "postgres";
        var dataSource = NpgsqlDataSource.Create(builder);
        await using var command = dataSource.CreateCommand("SELECT to_regclass('pg_stat_statements') IS NOT NULL");
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            await dataSource.DisposeAsync();
            throw new InvalidOperationException(
                "--postgres needs pg_stat_statements: start PostgreSQL with shared_preload_libraries=pg_stat_statements " +
                "and run CREATE EXTENSION pg_stat_statements in the \"postgres\" database.");
        }

        return new DatabaseCounters(dataSource, database);
    }

    public async Task<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH kinds AS (
                SELECT calls, rows,
                       CASE WHEN query ~* '^\s*(begin|start|commit|end|rollback|savepoint|release)\M' THEN 'transaction'
                            WHEN query ~* '^\s*(insert|update|delete|merge)\M' THEN 'write'
                            ELSE 'read' END AS kind,
                       query ~* '^\s*(commit|end|rollback)\M' AS ends_transaction
                FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                WHERE d.datname = $1)
            SELECT coalesce(sum(calls) FILTER (WHERE kind <> 'transaction'), 0)::bigint,
                   coalesce(sum(calls) FILTER (WHERE ends_transaction), 0)::bigint,
                   coalesce(sum(rows) FILTER (WHERE kind = 'write'), 0)::bigint,
                   coalesce(sum(rows) FILTER (WHERE kind = 'read'), 0)::bigint
            FROM kinds
            """);
        command.Parameters.AddWithValue(database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Reading(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
