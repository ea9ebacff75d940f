namespace IdentityProvider.Data;

/// <summary>
/// When a periodic job last started, on any instance: the row every instance claims before running it, so that a job
/// runs once per interval however many instances share the database (<see cref="HourlyPruning"/>).
/// </summary>
public sealed class ScheduledJob
{
    public required string Name { get; set; }

    public DateTimeOffset LastStartedAt { get; set; }
}
