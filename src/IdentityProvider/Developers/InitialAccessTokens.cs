using IdentityProvider.Audit;
using IdentityProvider.Clients;
using IdentityProvider.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Developers;

/// <summary>Issues, lists, revokes and spends initial access tokens; each issue and revocation is audited.</summary>
public sealed class InitialAccessTokens(ApplicationDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>Marks the tokens in logs and secret scanners; the rest is 256 random bits.</summary>
    private const string Prefix = "iat_";

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    public const int MaxUsesLimit = 100_000;

    public const int MaxNameLength = 200;

    /// <summary>Why a token with these settings may not be issued, or null.</summary>
    public static string? IssueProblem(string? name, TimeSpan lifetime, int maxUses) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength || lifetime < TimeSpan.FromMinutes(1) || lifetime > MaxLifetime
            || maxUses is < 1 or > MaxUsesLimit
            ? $"A token needs a name of at most {MaxNameLength} characters, a lifetime between 1 minute and 365 days, and between 1 and {MaxUsesLimit} registrations."
            : null;

    /// <summary>A new token and the one chance to see it.</summary>
    public async Task<(InitialAccessToken Stored, string Token)> IssueAsync(string name, TimeSpan lifetime, int maxUses, CancellationToken cancellationToken = default)
    {
        if (IssueProblem(name, lifetime, maxUses) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        var token = Prefix + ClientSecrets.Generate();
        var now = time.GetUtcNow();
        var stored = new InitialAccessToken
        {
            Name = name.Trim(),
            TokenHash = RegistrationTokenHash.Of(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            MaxUses = maxUses,
        };
        db.InitialAccessTokens.Add(stored);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(AuditTypes.InitialAccessTokenIssued,
            details: $"\"{stored.Name}\" ({stored.Id}), {maxUses} registration(s) until {stored.ExpiresAt:u}", cancellationToken: cancellationToken);
        return (stored, token);
    }

    public Task<List<InitialAccessToken>> ListAsync(CancellationToken cancellationToken = default) =>
        db.InitialAccessTokens.AsNoTracking().OrderByDescending(token => token.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>False when there is no such token or it was revoked already.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var revoked = await db.InitialAccessTokens.Where(token => token.Id == id && token.RevokedAt == null)
            .ExecuteUpdateAsync(token => token.SetProperty(t => t.RevokedAt, now), cancellationToken);
        if (revoked == 0)
        {
            return false;
        }

        await audit.WriteAsync(AuditTypes.InitialAccessTokenRevoked, details: id.ToString(), cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>
    /// Spends one registration of the token: false when it is unknown, revoked, expired or used up. One conditional
    /// update, so registrations sent at once never spend more than the token allows.
    /// </summary>
    public async Task<bool> TrySpendAsync(string? token, CancellationToken cancellationToken = default) =>
        await Usable(token).ExecuteUpdateAsync(t => t.SetProperty(x => x.Uses, x => x.Uses + 1), cancellationToken) == 1;

    /// <summary>Returns a registration spent on a request that registered nothing.</summary>
    public Task GiveBackAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.InitialAccessTokens.Where(t => t.Id == id && t.Uses > 0).ExecuteUpdateAsync(t => t.SetProperty(x => x.Uses, x => x.Uses - 1), cancellationToken);

    /// <summary>The id of the token if it would allow a registration now (without spending it), otherwise null.</summary>
    public Task<Guid?> FindUsableAsync(string? token, CancellationToken cancellationToken = default) =>
        Usable(token).Select(usable => (Guid?)usable.Id).FirstOrDefaultAsync(cancellationToken);

    private IQueryable<InitialAccessToken> Usable(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > RegistrationTokenHash.MaxTokenLength)
        {
            return db.InitialAccessTokens.Where(_ => false);
        }

        var hash = RegistrationTokenHash.Of(token);
        var now = time.GetUtcNow();
        return db.InitialAccessTokens.Where(t => t.TokenHash == hash && t.RevokedAt == null && t.ExpiresAt > now && t.Uses < t.MaxUses);
    }
}
