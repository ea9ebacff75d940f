using System.Text.RegularExpressions;

namespace IdentityProvider.Clients;

/// <summary>What a scope may be called (RFC 6749 §3.3): the one rule for the scopes themselves and for the scopes a client may ask for.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class ScopeNameAttribute()
    : NameRuleAttribute("A scope name", MaximumLength, Allowed(), "A scope name may not contain spaces, quotes or backslashes (RFC 6749 §3.3).")
{
    public const int MaximumLength = 100;

    private static readonly ScopeNameAttribute Rule = new();

    public static string? Problem(string? name) => Rule.ProblemWith(name);

    [GeneratedRegex("^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$")]
    private static partial Regex Allowed();
}
