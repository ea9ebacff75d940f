using System.Net;
using System.Text.RegularExpressions;

namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>
/// Just enough of an HTML form to sign in and consent without a browser: where it posts, its fields with their
/// values, and its submit buttons. Regular expressions suffice for the plain server-rendered pages of providers.
/// </summary>
internal sealed partial record HtmlForm(Uri Action, IReadOnlyList<KeyValuePair<string, string>> Fields, IReadOnlyList<HtmlForm.Input> Inputs, IReadOnlyList<HtmlForm.Button> Buttons)
{
    public sealed record Input(string Name, string Type);

    public sealed record Button(string? Name, string? Value, string Text, Uri? FormAction);

    public static IReadOnlyList<HtmlForm> ParseAll(string html, Uri page) =>
        [.. FormPattern().Matches(html).Select(form => Parse(Attributes(form.Groups[1].Value), form.Groups[2].Value, page))];

    public bool HasPassword => Inputs.Any(input => input.Type == "password");

    private static HtmlForm Parse(Dictionary<string, string> form, string body, Uri page)
    {
        var fields = new List<KeyValuePair<string, string>>();
        var inputs = new List<Input>();
        foreach (Match match in InputPattern().Matches(body))
        {
            var attributes = Attributes(match.Groups[1].Value);
            if (attributes.GetValueOrDefault("name") is not { Length: > 0 } name)
            {
                continue;
            }

            var type = attributes.GetValueOrDefault("type")?.ToLowerInvariant() ?? "text";
            if (type is "submit" or "button" or "image")
            {
                continue;
            }

            inputs.Add(new Input(name, type));
            if (type is not ("checkbox" or "radio") || attributes.ContainsKey("checked"))
            {
                fields.Add(new(name, attributes.GetValueOrDefault("value") ?? (type is "checkbox" or "radio" ? "on" : "")));
            }
        }

        var buttons = ButtonPattern().Matches(body).Select(match =>
        {
            var attributes = Attributes(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[3].Value);
            var text = match.Groups[2].Success ? TagPattern().Replace(match.Groups[2].Value, "") : attributes.GetValueOrDefault("value") ?? "";
            return new Button(
                attributes.GetValueOrDefault("name"),
                attributes.GetValueOrDefault("value"),
                WebUtility.HtmlDecode(text).Trim(),
                attributes.GetValueOrDefault("formaction") is { Length: > 0 } formAction ? new Uri(page, formAction) : null);
        });
        var action = form.GetValueOrDefault("action") is { Length: > 0 } address ? new Uri(page, address) : page;
        return new HtmlForm(action, fields, inputs, [.. buttons]);
    }

    private static Dictionary<string, string> Attributes(string tag) =>
        AttributePattern().Matches(tag)
            .DistinctBy(match => match.Groups[1].Value.ToLowerInvariant())
            .ToDictionary(
                match => match.Groups[1].Value.ToLowerInvariant(),
                match => WebUtility.HtmlDecode(match.Groups["value"].Value));

    [GeneratedRegex(@"<form\b([^>]*)>(.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<input\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    [GeneratedRegex(@"<button\b([^>]*)>(.*?)</button>|<input\b(?=[^>]*\btype\s*=\s*[""']?submit)([^>]*)>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ButtonPattern();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"([^\s=/>""']+)(?:\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?<value>[^\s>]+)))?")]
    private static partial Regex AttributePattern();
}
