using DotNet.Testcontainers.Configurations;
using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Testcontainers.PostgreSql;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run against: the one named by <see cref="ConnectionStringVariable"/>;
/// else a Testcontainers container when a Docker engine answers; else a throwaway cluster of the
/// machine's own server binaries (<see cref="LocalCluster"/>). The schema is migrated once into a
/// template database; each test class gets a copy of it.
/// </summary>
public static class PostgresServer
{
    public const string ConnectionStringVariable = "IDP_TEST_POSTGRES";

    private static readonly Lazy<Task<(string Server, string Template)>> Server = new(StartAsync);

    /// <summary>Creates a database of its own for one test class (migrated unless <paramref name="empty"/>) and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(bool empty = false)
    {
        var (server, template) = await Server.Value;
        return await CreateAsync(server, "idp_test_" + Guid.NewGuid().ToString("N"), empty ? null : template);
    }

    private static async Task<(string, string)> StartAsync()
    {
        var server = await ServerAsync();
        var template = await CreateAsync(server, "idp_template_" + Guid.NewGuid().ToString("N"), template: null);
        await using (var context = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(template).UseOpenIddict().Options))
        {
            await context.Database.MigrateAsync();
        }

        // A template must have no open connections while it is copied.
        await using (var connection = new NpgsqlConnection(template))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        return (server, new NpgsqlConnectionStringBuilder(template).Database!);
    }

    private static async Task<string> CreateAsync(string server, string name, string? template)
    {
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"" + (template is null ? "" : $" TEMPLATE \"{template}\""), connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<string> ServerAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        // Testcontainers' own probe: no endpoint configuration means no Docker engine answered.
        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is not null)
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            return container.GetConnectionString();
        }

        return await LocalCluster.StartAsync() ?? throw new InvalidOperationException(
            $"Integration tests need PostgreSQL, and found none: set {ConnectionStringVariable} to the connection string of a server " +
            "where the user may create databases, make a Docker engine reachable for Testcontainers, or install the PostgreSQL " +
            "server binaries (initdb and pg_ctl on PATH or under /usr/lib/postgresql/<version>/bin; Debian: apt-get install postgresql).");
    }
}
