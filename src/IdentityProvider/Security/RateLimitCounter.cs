namespace IdentityProvider.Security;

/// <summary>One key's requests in its current window, as <see cref="PostgresRateLimitCounters"/> keeps them.</summary>
public sealed class RateLimitCounter
{
    public required string Key { get; set; }

    public DateTimeOffset WindowEnds { get; set; }

    public int Requests { get; set; }
}
