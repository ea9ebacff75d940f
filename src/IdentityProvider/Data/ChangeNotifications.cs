using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Data;

/// <summary>
/// Tells every instance on the database that data it may cache has changed, so that each forgets its copy at once:
/// the instance making the change forgets it here and now, and PostgreSQL's <c>NOTIFY</c> on <see cref="Channel"/>
/// reaches the others, whose <see cref="ChangeListener"/> forwards it. (The embedded store has one instance.)
/// </summary>
public sealed partial class ChangeNotifications(ILogger<ChangeNotifications> logger)
{
    public const string Channel = "idp_changes";

    private readonly ConcurrentDictionary<string, ConcurrentBag<Action>> _forgetters = new();

    /// <summary>What a cache of <paramref name="topic"/> does when it changed somewhere.</summary>
    public void Subscribe(string topic, Action forget) => _forgetters.GetOrAdd(topic, _ => []).Add(forget);

    /// <summary>
    /// After the change is saved. A notice that cannot be sent is logged, not thrown: the change itself stands, and
    /// the other instances' caches expire by themselves.
    /// </summary>
    public async Task PublishAsync(DbContext db, string topic, CancellationToken cancellationToken)
    {
        Forget(topic);
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {topic})", cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogNotSent(logger, topic, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other instances that {Topic} changed; their caches catch up when they expire.")]
    private static partial void LogNotSent(ILogger logger, string topic, Exception exception);

    /// <summary>Forgets what is cached of <paramref name="topic"/>; of everything when it is null.</summary>
    internal void Forget(string? topic)
    {
        foreach (var (name, forgetters) in _forgetters)
        {
            if (topic is null || topic == name)
            {
                foreach (var forget in forgetters)
                {
                    forget();
                }
            }
        }
    }
}

/// <summary>The topics of <see cref="ChangeNotifications"/>.</summary>
public static class ChangeTopics
{
    /// <summary>Clients (applications): their redirect URIs feed the CORS origins of browser apps.</summary>
    public const string Clients = "clients";

    /// <summary>Scopes, looked up by name on every token request.</summary>
    public const string Scopes = "scopes";
}
