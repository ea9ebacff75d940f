using System.Text.RegularExpressions;

namespace IdentityProvider.Clients;

/// <summary>What a client id may be: the one rule for bootstrap, the command line and the console.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class ClientIdAttribute()
    : NameRuleAttribute("A client id", MaximumLength, Allowed(), "A client id may only contain letters, digits and . _ ~ -")
{
    public const int MaximumLength = 100;

    private static readonly ClientIdAttribute Rule = new();

    public static string? Problem(string? clientId) => Rule.ProblemWith(clientId);

    /// <summary>
    /// A client's own tokens (client_credentials) carry its id as their subject, and a user's carry the user's id, a
    /// GUID: a client id shaped like a GUID could name a user to an API (RFC 9700 §4.15), so none may be one.
    /// </summary>
    public override string? ProblemWith(string? name) =>
        base.ProblemWith(name) ?? (Guid.TryParse(name, out _) ? "A client id may not be a GUID: user ids are, and a client's tokens name it as their subject." : null);

    [GeneratedRegex("^[A-Za-z0-9._~-]+$")]
    private static partial Regex Allowed();
}
