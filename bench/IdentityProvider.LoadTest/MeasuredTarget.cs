namespace IdentityProvider.LoadTest;

/// <summary>A target with what measures it, and the rows measured so far.</summary>
internal sealed class MeasuredTarget(Target target, ResourceMeasurement measurement, DatabaseCounters? counters) : IAsyncDisposable
{
    public Target Target => target;

    public ResourceMeasurement Measurement => measurement;

    public List<RowResult> Rows { get; } = [];

    public static async Task<MeasuredTarget> StartAsync(string label, TargetSettings settings, CancellationToken cancellationToken)
    {
        var target = await Target.ConnectAsync(label, settings, cancellationToken);
        var counters = settings.Postgres is { } connectionString ? await DatabaseCounters.OpenAsync(connectionString, cancellationToken) : null;
        var measurement = new ResourceMeasurement(
            settings.ServerPid is { } pid ? new ProcessTree(pid) : null,
            settings.DatabasePid is { } databasePid ? new ProcessTree(databasePid) : null,
            counters);
        return new MeasuredTarget(target, measurement, counters);
    }

    public async ValueTask DisposeAsync()
    {
        target.Dispose();
        if (counters is not null)
        {
            await counters.DisposeAsync();
        }
    }
}
