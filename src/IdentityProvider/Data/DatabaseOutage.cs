using IdentityProvider.Connect;
using IdentityProvider.Security;
using Npgsql;
using OpenIddict.Abstractions;

namespace IdentityProvider.Data;

/// <summary>
/// While PostgreSQL cannot be reached, a request that needs it is answered 503 with <c>Retry-After</c> instead of
/// 500: the protocol's API endpoints (token, introspection, revocation, userinfo) with OAuth's
/// <c>temporarily_unavailable</c>, everything a browser sees with a page that needs no database (the site's layout
/// would look the signed-in user up). Npgsql opens new connections on the next request, so service resumes by itself
/// when the database is back.
/// </summary>
internal static partial class DatabaseOutage
{
    public const int RetryAfterSeconds = 5;

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>Temporarily unavailable · IdentityProvider</title>
            <link rel="stylesheet" href="/css/site.css" />
        </head>
        <body>
            <header><a class="brand" href="/">IdentityProvider</a></header>
            <main>
                <h1>Temporarily unavailable</h1>
                <p>The service cannot reach its database for a moment. Please try again in a few seconds.</p>
            </main>
        </body>
        </html>
        """;

    private static readonly PathString[] BrowserEndpoints = [ConnectPaths.Authorize, ConnectPaths.EndSession];

    public static WebApplication UseDatabaseOutageAnswers(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseOutage));
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception exception) when (IsOutage(exception) && !context.Response.HasStarted)
            {
                if (Causes(exception).Any(IsPreparedStatementMixUp))
                {
                    // Such a connection stays mixed up: drop the pooled connections rather than fail on it again.
                    NpgsqlConnection.ClearAllPools();
                }

                if (Causes(exception).Any(cause => cause is PostgresException or NpgsqlException { IsTransient: true }))
                {
                    LogAnswered(logger, context.Request.Path, exception.Message);
                }
                else
                {
                    // Counted as an outage from what Npgsql does when a connection breaks; in full, in case it was a bug.
                    LogAnsweredOnSuspicion(logger, context.Request.Path, exception);
                }

                await AnswerAsync(context);
            }
        });
        return app;
    }

    /// <summary>
    /// Whether the database could not be reached or refused work for a while. PostgreSQL's own errors count when they
    /// say so (shutting down, starting up, out of connections or resources, connection failures, and a session's
    /// prepared statements out of step after a restart); a constraint
    /// violation or a bad query stays a 500. Every failure below SQL counts (Npgsql's errors that are not
    /// PostgreSQL's: connecting, reading, writing, timeouts, and the protocol falling out of step when the server
    /// closes a connection mid-exchange), and so does Npgsql tripping over such a connection (seen as a
    /// <see cref="NullReferenceException"/> thrown inside Npgsql's reader when PostgreSQL stops).
    /// </summary>
    public static bool IsOutage(Exception exception) =>
        Causes(exception).Any(cause => cause switch
        {
            PostgresException postgres => postgres.SqlState[..2] is "08" or "53" or "58" || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) ||
                IsPreparedStatementMixUp(postgres),
            NpgsqlOperationInProgressException => false,
            NpgsqlException => true,
            NullReferenceException or ObjectDisposedException => cause.Source == typeof(NpgsqlConnection).Assembly.GetName().Name,
            _ => false,
        });

    /// <summary>
    /// A session whose prepared statements Npgsql lost count of (42P05 "already exists", 26000 "does not exist"): seen
    /// right after PostgreSQL restarted under load, when a prepare was cut off mid-exchange.
    /// </summary>
    private static bool IsPreparedStatementMixUp(Exception exception) => exception is PostgresException { SqlState: "42P05" or "26000" };

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    private static async Task AnswerAsync(HttpContext context)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        var path = context.Request.Path;
        if (path.StartsWithSegments(ConnectPaths.Prefix) && !BrowserEndpoints.Any(endpoint => path.StartsWithSegments(endpoint)))
        {
            await ConnectResults.WriteErrorAsync(response, StatusCodes.Status503ServiceUnavailable, OpenIddictConstants.Errors.TemporarilyUnavailable,
                "The provider cannot reach its database. Try again in a few seconds.", context.RequestAborted);
            return;
        }

        SecurityHeaders.Apply(response);
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Page, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unreachable: answered 503 to {Path} ({Reason}).")]
    private static partial void LogAnswered(ILogger logger, PathString path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database connection failed under a request: answered 503 to {Path}.")]
    private static partial void LogAnsweredOnSuspicion(ILogger logger, PathString path, Exception exception);
}
