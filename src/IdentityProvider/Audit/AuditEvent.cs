namespace IdentityProvider.Audit;

/// <summary>One security event: who did what to whom, when and from where. Never holds a secret.</summary>
public sealed class AuditEvent
{
    public long Id { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>A dotted name such as <c>user.locked</c> or <c>signin.failed</c> (see <see cref="AuditTypes"/>).</summary>
    public required string Type { get; init; }

    /// <summary>The signed-in user who acted, if any (an admin, or the user themselves).</summary>
    public string? ActorId { get; init; }

    public string? ActorEmail { get; init; }

    /// <summary>The user the event is about, if any.</summary>
    public string? UserId { get; init; }

    public string? UserEmail { get; init; }

    public string? ClientId { get; init; }

    public string? IpAddress { get; init; }

    /// <summary>What changed, e.g. "LockoutEnd: (none) → 9999-12-31".</summary>
    public string? Details { get; init; }
}
