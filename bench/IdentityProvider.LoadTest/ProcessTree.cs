using System.Globalization;

namespace IdentityProvider.LoadTest;

/// <summary>
/// A process and its descendants as they are when sampled (PostgreSQL's postmaster and its backends, for
/// instance), read from /proc on Linux.
/// </summary>
internal sealed class ProcessTree(int rootPid)
{
    // USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every Linux architecture .NET runs on.
    private const double MillisecondsPerTick = 10;

    public int RootPid => rootPid;

    /// <summary>
    /// CPU time used so far, user and system, including children that have ended and were waited for (cutime,
    /// cstime): a backend that exits between two samples still counts, in its parent.
    /// </summary>
    public double CpuMilliseconds() =>
        Members().Sum(stat => (Field(stat, 14) + Field(stat, 15) + Field(stat, 16) + Field(stat, 17)) * MillisecondsPerTick);

    /// <summary>Resident memory of all members now, in bytes (shared pages count once per process).</summary>
    public long ResidentBytes() =>
        Members().Sum(stat => Field(stat, 24) * Environment.SystemPageSize);

    /// <summary>The /proc/&lt;pid&gt;/stat lines of the root and all its descendants.</summary>
    private IEnumerable<string> Members()
    {
        var stats = new Dictionary<int, string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && TryRead(Path.Combine(directory, "stat")) is { } stat)
            {
                stats[pid] = stat;
            }
        }

        if (!stats.ContainsKey(rootPid))
        {
            throw new InvalidOperationException($"Process {rootPid} is gone.");
        }

        var children = stats.ToLookup(entry => (int)Field(entry.Value, 4), entry => entry.Key);
        var pending = new Stack<int>([rootPid]);
        while (pending.TryPop(out var pid))
        {
            yield return stats[pid];
            foreach (var child in children[pid])
            {
                pending.Push(child);
            }
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // The process ended while the list was read.
        }
    }

    /// <summary>Field n (1-based, as in proc(5)) of a stat line; the command name may hold spaces, so count after its ')'.</summary>
    private static long Field(string stat, int number)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
    }
}
