using IdentityProvider.Jobs;

namespace IdentityProvider.Email;

/// <summary>
/// A mail waiting to be sent, sent, or given up on. Requests only write these rows; the
/// <see cref="OutboxDispatcher"/> delivers them, so a request never waits on SMTP.
/// </summary>
public sealed class OutboxMessage : IQueuedJob
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public required string To { get; init; }

    public required string Subject { get; init; }

    public required string TextBody { get; init; }

    public required string HtmlBody { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? FailedAt { get; set; }

    public string? LastError { get; set; }
}
