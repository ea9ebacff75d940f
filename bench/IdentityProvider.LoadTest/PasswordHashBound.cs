using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdentityProvider.LoadTest;

/// <summary>
/// The most password grants a machine can answer when each one costs one password hash and nothing else:
/// ASP.NET Core Identity's hash (PBKDF2-HMAC-SHA512, 100 000 iterations, 128-bit salt, 256-bit key),
/// computed on every core at once for the given time, with no provider running meanwhile.
/// </summary>
internal static class PasswordHashBound
{
    private const int Iterations = 100_000;

    public static double HashesPerSecond(TimeSpan warmup, TimeSpan duration)
    {
        Run(warmup);
        return Run(duration);
    }

    private static double Run(TimeSpan duration)
    {
        var password = Encoding.UTF8.GetBytes("correct horse battery staple");
        var salt = RandomNumberGenerator.GetBytes(16);
        var hashes = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            while (clock.Elapsed < duration)
            {
                Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, 32);
                Interlocked.Increment(ref hashes);
            }
        })).ToList();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());
        return hashes / clock.Elapsed.TotalSeconds;
    }

    public static string Report(double hashesPerSecond, IEnumerable<(string Label, RowResult Row)> passwordRows)
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture,
            $"Password-hash bound (PBKDF2-HMAC-SHA512 x{Iterations}, Identity's hash, on {Environment.ProcessorCount} cores): {hashesPerSecond:F1} hashes/s");
        foreach (var (label, row) in passwordRows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{label}: password x{row.Concurrency}: {row.RequestsPerSecond / hashesPerSecond * 100:F0} % of the bound");
        }

        return text.ToString();
    }
}
