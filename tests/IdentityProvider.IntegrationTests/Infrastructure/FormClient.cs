using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>
/// Uses the Razor Pages as a browser without JavaScript would: keeps cookies, reads the
/// antiforgery token out of each form, and does not follow redirects so tests can assert them.
/// </summary>
public sealed partial class FormClient(ProviderFactory provider) : IDisposable
{
    public HttpClient Http { get; } = provider.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://idp.test/"),
        AllowAutoRedirect = false,
    });

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs the page, then POSTs its form with the given fields and the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, Dictionary<string, string> fields, bool withAntiforgery = true)
    {
        var (_, html) = await GetAsync(path);
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
        var action = path.Split('?')[0];
        return await Http.PostAsync(path.Contains('?', StringComparison.Ordinal) ? path : action, content);
    }

    public static string AntiforgeryTokenIn(string html) => AntiforgeryToken().Match(html).Groups[1].Value;

    /// <summary>The path and query (without the leading slash) of the first link in a mail that points at <paramref name="page"/>.</summary>
    public static string LinkIn(ReceivedMail mail, string page) => mail.LinkTo(page).PathAndQuery.TrimStart('/');

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<input type=\"hidden\"[^>]*name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    public void Dispose() => Http.Dispose();
}
