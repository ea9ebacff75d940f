using DotNet.Testcontainers.Configurations;
using IdentityProvider.Data;
using IdentityProvider.Keys;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Testcontainers.PostgreSql;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run against: the one named by <see cref="ConnectionStringVariable"/>;
/// else a Testcontainers container when a Docker engine answers; else a throwaway cluster of the
/// machine's own server binaries (<see cref="LocalCluster"/>). The schema is migrated once into a
/// template database, and a second template also holds the stored keys; each test class gets a copy.
/// </summary>
public static class PostgresServer
{
    public const string ConnectionStringVariable = "IDP_TEST_POSTGRES";

    private static readonly Lazy<Task<Templates>> Server = new(StartAsync);

    /// <summary>Creates a database of its own for one test class and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(TestDatabase state = TestDatabase.WithStoredKeys)
    {
        var templates = await Server.Value;
        var template = state switch
        {
            TestDatabase.Empty => null,
            TestDatabase.Migrated => templates.Migrated,
            _ => templates.WithStoredKeys,
        };
        return await CreateAsync(templates.Server, "idp_test_" + Guid.NewGuid().ToString("N"), template);
    }

    private static async Task<Templates> StartAsync()
    {
        var server = await ServerAsync();
        var migrated = await CreateAsync(server, "idp_template_" + Guid.NewGuid().ToString("N"), template: null);
        await using (var context = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(migrated).UseOpenIddict().Options))
        {
            await context.Database.MigrateAsync();
        }

        ClosePooledConnections(migrated);

        // Two RSA keys cost about as much CPU as the rest of a provider's start: generate them once, with the
        // provider's own code, rather than once per test database.
        var withStoredKeys = await CreateAsync(server, "idp_template_" + Guid.NewGuid().ToString("N"), DatabaseName(migrated));
        await using (var app = Program.BuildApp(
            [
                "--environment=Testing", "--Logging:LogLevel:Default=Warning", $"--ConnectionStrings:Postgres={withStoredKeys}",
                "--Idp:Issuer=https://idp.test/", "--Keys:StoreGeneratedKeys=true", $"--{TestKeyRing.Setting}={TestKeyRing.Path}",
            ]))
        {
            await app.PrepareKeysAsync();
        }

        ClosePooledConnections(withStoredKeys);
        return new Templates(server, DatabaseName(migrated), DatabaseName(withStoredKeys));
    }

    // A template must have no open connections while it is copied: neither the test's own nor the provider's,
    // whose pool is keyed by the connection string with the provider's defaults applied.
    private static void ClosePooledConnections(string connectionString)
    {
        foreach (var pooled in new[] { connectionString, PostgresConnectionDefaults.Apply(connectionString) })
        {
            using var connection = new NpgsqlConnection(pooled);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private static string DatabaseName(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

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

        return (await LocalCluster.StartAsync())?.ConnectionString ?? throw new InvalidOperationException(
            $"Integration tests need PostgreSQL, and found none: set {ConnectionStringVariable} to the connection string of a server " +
            "where the user may create databases, make a Docker engine reachable for Testcontainers, or install the PostgreSQL " +
            "server binaries (initdb and pg_ctl on PATH or under /usr/lib/postgresql/<version>/bin; Debian: apt-get install postgresql).");
    }

    private sealed record Templates(string Server, string Migrated, string WithStoredKeys);
}

/// <summary>What a test database starts with.</summary>
public enum TestDatabase
{
    /// <summary>Nothing: not even the schema.</summary>
    Empty,

    /// <summary>The schema.</summary>
    Migrated,

    /// <summary>The schema and the keys a provider generates on its first start (signing, encryption, Data Protection).</summary>
    WithStoredKeys,
}
