using System.Text.RegularExpressions;

namespace IdentityProvider.Admin;

/// <summary>
/// A LIKE pattern that finds a typed term anywhere in a column, upper-cased for case-insensitive matching.
/// The lists search with LIKE rather than Contains (which becomes strpos) because PostgreSQL's trigram
/// indexes serve LIKE; the term's own <c>%</c>, <c>_</c> and <c>\</c> are escaped so they match themselves.
/// </summary>
public static partial class ContainsPattern
{
    public const string EscapeCharacter = "\\";

    public static string For(string term) => "%" + Wildcards().Replace(term.ToUpperInvariant(), EscapeCharacter + "$0") + "%";

    [GeneratedRegex(@"[\\%_]")]
    private static partial Regex Wildcards();
}
