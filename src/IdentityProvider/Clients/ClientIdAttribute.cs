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

    [GeneratedRegex("^[A-Za-z0-9._~-]+$")]
    private static partial Regex Allowed();
}
