using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// Uses the Razor Pages as a browser without JavaScript would: keeps cookies, reads the
/// antiforgery token out of each form, and does not follow redirects so tests can assert them.
/// </summary>
public sealed partial class FormClient(HttpClient http) : IDisposable
{
    public FormClient(ProviderFactory provider, string baseAddress = "https://idp.test/")
        : this(provider.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false }))
    {
    }

    /// <summary>Keeps cookies and does not follow redirects, like the one a <see cref="ProviderFactory"/> makes.</summary>
    public HttpClient Http { get; } = http;

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// GETs the page, then POSTs its form (to <paramref name="action"/>, else the page itself) with the
    /// given fields, the page's hidden fields and its antiforgery token.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(
        string path, Dictionary<string, string> fields, bool withAntiforgery = true, string? action = null, string? handler = null)
    {
        var (_, html) = await GetAsync(path);
        if (handler is not null)
        {
            // The form the page itself renders for that handler, so a wrong action on the page fails the test.
            action = FormAction().Matches(html).Select(match => WebUtility.HtmlDecode(match.Groups[1].Value))
                .FirstOrDefault(candidate => candidate.Contains("handler=" + handler, StringComparison.Ordinal))?.TrimStart('/')
                ?? throw new InvalidOperationException($"No form for handler {handler} on {path}.");
        }

        var form = new Dictionary<string, string>(fields);
        if (withAntiforgery)
        {
            form["__RequestVerificationToken"] = AntiforgeryTokenIn(html);
        }

        foreach (Match hidden in HiddenInput().Matches(html))
        {
            form.TryAdd(WebUtility.HtmlDecode(hidden.Groups[1].Value), WebUtility.HtmlDecode(hidden.Groups[2].Value));
        }

        using var content = new FormUrlEncodedContent(form);
        return await Http.PostAsync(action ?? path, content);
    }

    public static string AntiforgeryTokenIn(string html) => AntiforgeryToken().Match(html).Groups[1].Value;

    /// <summary>The path and query (without the leading slash) of the first link in a mail that points at <paramref name="page"/>.</summary>
    public static string LinkIn(ReceivedMail mail, string page) => mail.LinkTo(page).PathAndQuery.TrimStart('/');

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<form[^>]* action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\"[^>]*name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    public void Dispose() => Http.Dispose();
}
