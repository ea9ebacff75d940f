using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdentityProvider.LoadTest;

/// <summary>
/// The most password grants a machine can answer when each one costs one password hash and nothing else: the
/// target's hash computed on every core at once for the given time, with no provider running meanwhile.
/// </summary>
internal static class PasswordHashBound
{
    public static double HashesPerSecond(PasswordHash hash, TimeSpan warmup, TimeSpan duration)
    {
        Run(hash, warmup);
        return Run(hash, duration);
    }

    private static double Run(PasswordHash hash, TimeSpan duration)
    {
        var password = Encoding.UTF8.GetBytes("correct horse battery staple");
        var salt = RandomNumberGenerator.GetBytes(16);
        var hashes = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            while (clock.Elapsed < duration)
            {
                hash.Compute(password, salt);
                Interlocked.Increment(ref hashes);
            }
        })).ToList();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());
        return hashes / clock.Elapsed.TotalSeconds;
    }

    public static string Report(IEnumerable<(string Label, PasswordHash Hash, RowResult Row)> passwordRows, TimeSpan warmup, TimeSpan duration)
    {
        var text = new StringBuilder();
        foreach (var byHash in passwordRows.GroupBy(row => row.Hash))
        {
            var bound = HashesPerSecond(byHash.Key, warmup, duration);
            text.AppendLine(CultureInfo.InvariantCulture, $"Password-hash bound ({byHash.Key}, on {Environment.ProcessorCount} cores): {bound:F1} hashes/s");
            foreach (var (label, _, row) in byHash)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{label}: password x{row.Concurrency}: {row.RequestsPerSecond / bound * 100:F0} % of the bound");
            }
        }

        return text.ToString();
    }
}
