using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Admin;

/// <summary>
/// One page of a list: its rows, how many rows in all, which page this is and how many there are.
/// When <see cref="TotalCapped"/>, there are more than <see cref="Total"/> rows and only that many are reachable.
/// </summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total, int Number, int Count, bool TotalCapped = false);

public static class Paging
{
    /// <summary>
    /// Reads one page of an ordered query; the requested number is clamped to the pages that exist.
    /// With <paramref name="countLimit"/>, counting stops there: a large table is not counted row by row
    /// on every request, and paging reaches no deeper than that limit (filters narrow it down).
    /// </summary>
    public static async Task<PageOf<T>> PageAsync<T>(
        this IQueryable<T> ordered, int requested, int size, CancellationToken cancellationToken, int? countLimit = null)
    {
        var counted = await (countLimit is { } limit ? ordered.Take(limit + 1) : ordered).CountAsync(cancellationToken);
        var capped = counted > countLimit;
        var total = capped ? countLimit!.Value : counted;
        var count = Math.Max(1, (total + size - 1) / size);
        var number = Math.Clamp(requested, 1, count);
        var items = await ordered.Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PageOf<T>(items, total, number, count, capped);
    }
}
