using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Admin;

/// <summary>One page of a list: its rows, how many rows in all, which page this is and how many there are.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total, int Number, int Count);

public static class Paging
{
    /// <summary>Reads one page of an ordered query; the requested number is clamped to the pages that exist.</summary>
    public static async Task<PageOf<T>> PageAsync<T>(this IQueryable<T> ordered, int requested, int size, CancellationToken cancellationToken)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var count = Math.Max(1, (total + size - 1) / size);
        var number = Math.Clamp(requested, 1, count);
        var items = await ordered.Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PageOf<T>(items, total, number, count);
    }
}
