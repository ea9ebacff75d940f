using IdentityProvider.Jobs;

namespace IdentityProvider.Connect;

/// <summary>
/// One app to tell that a user's session ended, waiting to be sent, sent, or given up on. Stored, so that a notice
/// survives a restart and is sent by another instance when the one that queued it dies.
/// </summary>
public sealed class BackchannelNotice : QueuedJob
{
    public required string ClientId { get; init; }

    public required string Uri { get; init; }

    /// <summary>The user, as the logout token's <c>sub</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>The session that ended (the logout token's <c>sid</c>); null for every session of the user.</summary>
    public string? SessionId { get; init; }

    public bool ToPrivateNetwork { get; init; }
}
