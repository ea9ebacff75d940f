namespace IdentityProvider.Developers;

/// <summary>
/// An admin's permission for apps to register themselves (RFC 7591 §3: the initial access token), good for a number
/// of registrations until it expires or is revoked. Only its SHA-256 hash is stored; the token is shown once.
/// </summary>
public sealed class InitialAccessToken
{
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>What it is for, e.g. the partner it was given to.</summary>
    public required string Name { get; init; }

    public required string TokenHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public int MaxUses { get; init; }

    public int Uses { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>active, used up, expired or revoked.</summary>
    public string StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? "revoked" : ExpiresAt <= now ? "expired" : Uses >= MaxUses ? "used up" : "active";
}
