namespace IdentityProvider.LoadTest;

/// <summary>What the provider's processes and database spent during a phase; null where nothing was given to measure.</summary>
internal sealed record ResourceUsage(double? ServerCpuMilliseconds, double? DatabaseCpuMilliseconds, long? PeakResidentBytes, DatabaseCounters.Reading? Database);

/// <summary>
/// Samples the provider's processes (CPU before and after, resident memory every 100 ms) and its database
/// counters around a phase.
/// </summary>
internal sealed class ResourceMeasurement(ProcessTree? server, ProcessTree? database, DatabaseCounters? counters)
{
    private static readonly TimeSpan MemorySamplingInterval = TimeSpan.FromMilliseconds(100);

    public async Task<(T Result, ResourceUsage Usage)> MeasureAsync<T>(Func<Task<T>> phase, CancellationToken cancellationToken)
    {
        var countersBefore = counters is null ? null : await counters.ReadAsync(cancellationToken);
        var serverBefore = server?.CpuMilliseconds();
        var databaseBefore = database?.CpuMilliseconds();

        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var peakResident = server is null ? null : SamplePeakResidentAsync(server, stopSampling.Token);
        var result = await phase();
        await stopSampling.CancelAsync();

        var serverCpu = server?.CpuMilliseconds() - serverBefore;
        var databaseCpu = database?.CpuMilliseconds() - databaseBefore;
        var countersAfter = counters is null ? null : await counters.ReadAsync(cancellationToken);
        return (result, new ResourceUsage(
            serverCpu,
            databaseCpu,
            peakResident is null ? null : await peakResident,
            countersBefore is null || countersAfter is null ? null : countersAfter - countersBefore));
    }

    private static async Task<long?> SamplePeakResidentAsync(ProcessTree tree, CancellationToken stop)
    {
        var peak = tree.ResidentBytes();
        using var timer = new PeriodicTimer(MemorySamplingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                peak = Math.Max(peak, tree.ResidentBytes());
            }
        }
        catch (OperationCanceledException)
        {
        }

        return Math.Max(peak, tree.ResidentBytes());
    }
}
