using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Security;

/// <summary>
/// Counters in PostgreSQL, so that every instance on the database counts against the same limits. One statement per
/// request takes all of its limits; the table is unlogged (a crash forgets the counts, which only opens the current
/// windows again) and <see cref="RateLimitCounterPruning"/> removes ended windows.
/// </summary>
internal sealed class PostgresRateLimitCounters(ApplicationDbContext db) : RateLimitCounters
{
    /// <summary>Requests past a limit still count, up to here.</summary>
    private const int MaxCount = 1_000_000_000;

    private sealed record Row(string Key, DateTimeOffset WindowEnds, int Requests);

    public override async Task<IReadOnlyList<Count>> TakeAsync(IReadOnlyList<Limit> limits, TimeSpan window, CancellationToken cancellationToken)
    {
        // Rows are locked in key order, so two requests sharing keys never wait for each other in a cycle.
        var keys = limits.Select(limit => limit.Key).Order(StringComparer.Ordinal).ToArray();
        // The database's clock, the one all instances share, decides when a window ends.
        var rows = await db.Database.SqlQuery<Row>($"""
            INSERT INTO "RateLimitCounters" AS c ("Key", "WindowEnds", "Requests")
            SELECT l.key, statement_timestamp() + {window}, 1 FROM unnest({keys}::text[]) WITH ORDINALITY AS l(key, n) ORDER BY l.n
            ON CONFLICT ("Key") DO UPDATE SET
                "Requests" = CASE WHEN c."WindowEnds" <= statement_timestamp() THEN 1 ELSE LEAST(c."Requests", {MaxCount}) + 1 END,
                "WindowEnds" = CASE WHEN c."WindowEnds" <= statement_timestamp() THEN excluded."WindowEnds" ELSE c."WindowEnds" END
            RETURNING c."Key", c."WindowEnds", c."Requests"
            """).ToDictionaryAsync(row => row.Key, StringComparer.Ordinal, cancellationToken);
        return limits.Select(limit => new Count(limit, rows[limit.Key].Requests <= limit.Permits, rows[limit.Key].WindowEnds)).ToList();
    }

    public override async Task GiveBackAsync(Count taken, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE "RateLimitCounters" SET "Requests" = GREATEST(0, LEAST("Requests", {taken.Limit.Permits}) - 1)
            WHERE "Key" = {taken.Limit.Key} AND "WindowEnds" = {taken.WindowEnds}
            """, cancellationToken);
}
