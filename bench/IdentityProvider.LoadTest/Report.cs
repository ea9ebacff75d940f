using System.Globalization;
using System.Text;

namespace IdentityProvider.LoadTest;

/// <summary>Plain-text tables: one per target, then the ratios when two targets were measured.</summary>
internal static class Report
{
    private sealed record Column<T>(string Header, int Width, Func<T, string> Value);

    private static readonly Column<RowResult>[] Columns =
    [
        new Column<RowResult>("scenario", 19, row => row.Scenario),
        new("conc", 4, row => row.Concurrency.ToString(CultureInfo.InvariantCulture)),
        new("req/s", 8, row => Number(row.RequestsPerSecond, 0)),
        new("p50 ms", 7, row => Number(row.LatencyMilliseconds(50), 2)),
        new("p95 ms", 7, row => Number(row.LatencyMilliseconds(95), 2)),
        new("p99 ms", 7, row => Number(row.LatencyMilliseconds(99), 2)),
        new("errors", 6, row => row.ErrorCount.ToString(CultureInfo.InvariantCulture)),
        new("cpu ms/req", 10, row => Number(row.PerRequest(row.Usage.ServerCpuMilliseconds), 2)),
        new("db cpu ms/req", 13, row => Number(row.PerRequest(row.Usage.DatabaseCpuMilliseconds), 2)),
        new("peak RSS MiB", 12, row => Number(row.Usage.PeakResidentBytes / (1024.0 * 1024.0), 0)),
        new("stmt/req", 8, row => Number(row.PerRequest(row.Usage.Database?.Statements), 2)),
        new("tx/req", 6, row => Number(row.PerRequest(row.Usage.Database?.Transactions), 2)),
        new("rows w/req", 10, row => Number(row.PerRequest(row.Usage.Database?.RowsWritten), 2)),
        new("rows r/req", 10, row => Number(row.PerRequest(row.Usage.Database?.RowsRead), 2)),
    ];

    public static string Legend(TimeSpan warmup, TimeSpan duration) => $"""
        Closed loop: each of conc virtual users sends its next request as soon as the previous one answered,
        for {duration.TotalSeconds:0.#} s after a {warmup.TotalSeconds:0.#} s warm-up. req/s counts every answer; p50/p95/p99 are their latencies (request
        sent to body read); errors: answers other than 2xx, transport failures and, for refresh_token, answers
        that did not rotate the refresh token (not_rotated).
        authorization_code times the code exchange only: up to 256 codes are collected through the sign-in and
        consent pages before each phase, outside every figure, and the phase ends when they are redeemed.
        cpu ms/req: user+system CPU of --pid and its child processes per request; db cpu ms/req: the same for
        --db-pid (PostgreSQL's postmaster, whose children are the backends); peak RSS: of --pid and its
        children, sampled every 100 ms. From pg_stat_statements, for the database of --postgres: stmt/req,
        statements executed (transaction control left out); tx/req, explicit transactions (COMMIT/ROLLBACK;
        a statement outside one is its own); rows w/req, rows inserted, updated or deleted; rows r/req, rows
        the other statements returned. - means not measured.
        """;

    public static string Row(string label, RowResult row) =>
        $"{label}: {row.Scenario} x{row.Concurrency}: {Number(row.RequestsPerSecond, 0)} req/s, p50 {Number(row.LatencyMilliseconds(50), 2)} ms, {row.ErrorCount} errors";

    public static string Table(string label, IReadOnlyList<RowResult> rows)
    {
        var text = new StringBuilder().AppendLine(label).AppendLine(Header(Columns));
        foreach (var row in rows)
        {
            text.AppendLine(Line(row, Columns));
        }

        foreach (var row in rows.Where(row => row.ErrorCount > 0))
        {
            var codes = row.Loop.Errors.OrderByDescending(error => error.Value).Take(4).Select(error => $"{error.Key} x{error.Value}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  errors of {row.Scenario} x{row.Concurrency}: {string.Join(", ", codes)}");
        }

        return text.ToString();
    }

    private static readonly Column<(RowResult A, RowResult B)>[] RatioColumns =
    [
        new("scenario", 19, rows => rows.A.Scenario),
        new("conc", 4, rows => rows.A.Concurrency.ToString(CultureInfo.InvariantCulture)),
        new("req/s A/B", 9, rows => Number(rows.A.RequestsPerSecond / rows.B.RequestsPerSecond, 2)),
        new("p50 A/B", 7, rows => Number(rows.A.LatencyMilliseconds(50) / rows.B.LatencyMilliseconds(50), 2)),
        new("p99 A/B", 7, rows => Number(rows.A.LatencyMilliseconds(99) / rows.B.LatencyMilliseconds(99), 2)),
        new("cpu/req A/B", 11, rows => Number(rows.A.PerRequest(rows.A.Usage.ServerCpuMilliseconds) / rows.B.PerRequest(rows.B.Usage.ServerCpuMilliseconds), 2)),
    ];

    /// <summary>A over B for each row both targets ran: above 1 means A answered more, or took longer, or spent more.</summary>
    public static string Ratios(string labelA, string labelB, IReadOnlyList<RowResult> rowsA, IReadOnlyList<RowResult> rowsB)
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"A = {labelA}, B = {labelB}").AppendLine(Header(RatioColumns));
        foreach (var pair in rowsA.Zip(rowsB))
        {
            text.AppendLine(Line(pair, RatioColumns));
        }

        return text.ToString();
    }

    private static string Header<T>(Column<T>[] columns) => Join(columns.Select(column => column.Header), columns);

    private static string Line<T>(T item, Column<T>[] columns) => Join(columns.Select(column => column.Value(item)), columns);

    private static string Join<T>(IEnumerable<string> values, Column<T>[] columns) =>
        string.Join("  ", values.Zip(columns, (value, column) => column == columns[0] ? value.PadRight(column.Width) : value.PadLeft(column.Width)));

    private static string Number(double? value, int decimals) =>
        value is { } number && double.IsFinite(number) ? number.ToString("F" + decimals, CultureInfo.InvariantCulture) : "-";
}
