using IdentityProvider.Jobs;

namespace IdentityProvider.Email;

/// <summary>
/// A mail waiting to be sent, sent, or given up on. Requests only write these rows; the
/// <see cref="OutboxDispatcher"/> delivers them, so a request never waits on SMTP.
/// </summary>
public sealed class OutboxMessage : QueuedJob
{
    public required string To { get; init; }

    public required string Subject { get; init; }

    public required string TextBody { get; init; }

    public required string HtmlBody { get; init; }
}
