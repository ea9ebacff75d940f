using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Data;

internal static partial class DatabaseStartup
{
    /// <summary>Says which store is in use and applies migrations when configured to.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        // Check every options class before touching the database: a misconfigured instance must
        // not migrate a production schema and only then fail.
        app.Services.GetRequiredService<IStartupValidator>().Validate();

        var store = app.Services.GetRequiredService<DatabaseStore>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        if (store.IsEmbedded)
        {
            LogEmbeddedStore(logger, store.Description);
        }
        else
        {
            LogStore(logger, store.Description);
        }

        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            await MigrateAsync(app.Services);
        }
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        await context.Database.MigrateAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store: {Store}. The embedded store is meant for development and small single-instance installs; set ConnectionStrings:Postgres for production.")]
    private static partial void LogEmbeddedStore(ILogger logger, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: {Store}.")]
    private static partial void LogStore(ILogger logger, string store);
}
