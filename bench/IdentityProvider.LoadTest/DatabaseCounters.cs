using Npgsql;

namespace IdentityProvider.LoadTest;

/// <summary>
/// PostgreSQL's own counters for the provider's database: transactions and rows from pg_stat_database, and
/// statements from pg_stat_statements when that extension is installed. They are read from the "postgres"
/// database so that reading them does not count.
/// </summary>
internal sealed class DatabaseCounters(NpgsqlDataSource dataSource, string database, bool hasStatements) : IAsyncDisposable
{
    /// <summary>Backends report pg_stat_database at most once a second (PostgreSQL 15): wait that long before a reading.</summary>
    public static readonly TimeSpan ReportingDelay = TimeSpan.FromSeconds(1.2);

    public sealed record Reading(long Transactions, long Statements, long RowsWritten, long RowsRead);

    public bool HasStatements => hasStatements;

    public static async Task<DatabaseCounters> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database ?? throw new InvalidOperationException("--postgres needs Database=<the provider's database>.");
        builder.Database = "postgres";
        var dataSource = NpgsqlDataSource.Create(builder);
        await using var command = dataSource.CreateCommand("SELECT to_regclass('pg_stat_statements') IS NOT NULL");
        var hasStatements = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new DatabaseCounters(dataSource, database, hasStatements);
    }

    public async Task<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        var statements = hasStatements
            ? "(SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = d.datid)"
            : "0::bigint";
        await using var command = dataSource.CreateCommand($"""
            SELECT xact_commit + xact_rollback, {statements}, tup_inserted + tup_updated + tup_deleted, tup_fetched
            FROM pg_stat_database d WHERE datname = $1
            """);
        command.Parameters.AddWithValue(database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"PostgreSQL has no database '{database}'.");
        }

        return new Reading(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
