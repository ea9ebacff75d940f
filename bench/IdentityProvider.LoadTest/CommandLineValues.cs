using System.CommandLine.Parsing;
using System.Globalization;

namespace IdentityProvider.LoadTest;

/// <summary>Parsers for the values the options take: "10s", "500ms", "2m"; "1,8,32"; "password,jwks"; absolute URIs.</summary>
internal static class CommandLineValues
{
    public static TimeSpan Duration(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1)
            : text.EndsWith('m') ? (text[..^1], 60)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            result.AddError($"'{text}' is not a duration such as 10s, 500ms or 2m.");
            return TimeSpan.Zero;
        }

        return TimeSpan.FromSeconds(value * unit);
    }

    public static Uri? AbsoluteUri(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var address))
        {
            return address;
        }

        result.AddError($"'{text}' is not an absolute URI.");
        return null;
    }

    public static int[] PositiveNumbers(ArgumentResult result)
    {
        var numbers = List(result).Select(item => int.TryParse(item, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : 0).ToArray();
        if (numbers.Contains(0))
        {
            result.AddError($"'{string.Join(',', List(result))}' is not a list of positive numbers such as 1,8,32.");
        }

        return numbers;
    }

    public static string[] List(ArgumentResult result) =>
        [.. result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
