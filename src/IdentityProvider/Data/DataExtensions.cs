using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IdentityProvider.Data;

internal static class DataExtensions
{
    public const string PostgresConnectionStringName = "Postgres";

    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var postgres = builder.Configuration.GetConnectionString(PostgresConnectionStringName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            builder.Services.AddDbContextPool<ApplicationDbContext, PostgresDbContext>(options =>
                options.UseNpgsql(PostgresConnectionDefaults.Apply(postgres)).UseOpenIddict());
            builder.Services.AddSingleton(new DatabaseStore(false, "PostgreSQL (ConnectionStrings:Postgres)"));
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<ChangeListener>(services, postgres));
        }
        else
        {
            var databaseOptions = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new();
            if (string.IsNullOrWhiteSpace(databaseOptions.EmbeddedPath))
            {
                throw new InvalidOperationException(
                    "Database:EmbeddedPath is empty: set it to a file path for the embedded store, or set ConnectionStrings:Postgres.");
            }

            var path = Path.GetFullPath(databaseOptions.EmbeddedPath, AppContext.BaseDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // SQLite changes a column by rebuilding its table. On a new store EF then warns that OutboxDueIndex's own SQL
            // (converting stored times) runs before the rebuild, and that the rebuild's PRAGMA cannot be in a transaction:
            // both were checked when that migration was written, and would only alarm a newcomer's first run.
            builder.Services.AddDbContextPool<ApplicationDbContext, SqliteDbContext>(options => options
                .UseSqlite($"Data Source={path}")
                .UseOpenIddict()
                .ConfigureWarnings(warnings => warnings.Ignore(
                    SqliteEventId.TableRebuildPendingWarning, RelationalEventId.NonTransactionalMigrationOperationWarning)));
            builder.Services.AddSingleton(new DatabaseStore(true, $"embedded SQLite at {path}"));
        }

        builder.Services.AddSingleton<ChangeNotifications>();

        // Cookies and other protected payloads must survive restarts and be readable by every instance.
        builder.Services.AddDataProtection()
            .SetApplicationName("IdentityProvider")
            .PersistKeysToDbContext<ApplicationDbContext>();

        return builder;
    }
}
