using Npgsql;
using Testcontainers.PostgreSql;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run against: the one named by <see cref="ConnectionStringVariable"/>
/// (as started by .ci/run), otherwise a Testcontainers container when a Docker engine is reachable.
/// </summary>
public static class PostgresServer
{
    public const string ConnectionStringVariable = "IDP_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>Creates an empty database of its own for one test class and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var serverConnectionString = await Server.Value;
        var name = "idp_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        try
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            return container.GetConnectionString();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"Integration tests need PostgreSQL: set {ConnectionStringVariable} to a connection string of a server " +
                "where the user may create databases, or make a Docker engine reachable for Testcontainers.", exception);
        }
    }
}
