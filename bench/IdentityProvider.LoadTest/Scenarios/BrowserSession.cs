using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;

namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>
/// Plays the browser of the authorization code flow with PKCE (RFC 7636, S256): follows the provider's redirects,
/// fills its sign-in form with the username and password and accepts its consent form, until the provider
/// redirects to the client's redirect URI with a code. The session cookie is kept, so later codes need no sign-in.
/// </summary>
internal sealed partial class BrowserSession(TargetSettings settings, Uri authorizationEndpoint) : IDisposable
{
    private const int MaxSteps = 12;

    private readonly HttpClient http = Target.CreateClient(new CookieContainer());

    private readonly Uri redirectUri = settings.RedirectUri
        ?? throw new InvalidOperationException("The authorization_code scenario needs --redirect-uri (one the client registered).");

    public Uri RedirectUri => redirectUri;

    public sealed record Code(string Value, string Verifier);

    public async Task<Code> AuthorizeAsync(CancellationToken cancellationToken)
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = settings.ClientId,
            ["redirect_uri"] = redirectUri.AbsoluteUri,
            ["scope"] = settings.Scope,
            ["state"] = state,
            ["code_challenge"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        };
        var address = new UriBuilder(authorizationEndpoint)
        {
            Query = string.Join('&', query.Select(parameter => parameter.Key + "=" + Uri.EscapeDataString(parameter.Value))),
        }.Uri;

        var (page, form) = (address, (HttpContent?)null);
        for (var step = 0; step < MaxSteps; step++)
        {
            using var response = form is null ? await http.GetAsync(page, cancellationToken) : await http.PostAsync(page, form, cancellationToken);
            form?.Dispose();
            if (response.Headers.Location is { } location)
            {
                page = new Uri(page, location);
                form = null;
                if (page.GetLeftPart(UriPartial.Path) == redirectUri.GetLeftPart(UriPartial.Path))
                {
                    return ReadCode(page, state, verifier);
                }

                continue;
            }

            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Authorization: {page} answered {(int)response.StatusCode}.");
            }

            (page, form) = Submission(Choose(HtmlForm.ParseAll(html, page), page));
        }

        throw new InvalidOperationException($"Authorization: no code after {MaxSteps} pages (is the redirect URI registered, the user's password right?).");
    }

    public void Dispose() => http.Dispose();

    /// <summary>The sign-in form when the page has one, otherwise the form whose button grants access.</summary>
    private static (HtmlForm Form, HtmlForm.Button? Button) Choose(IReadOnlyList<HtmlForm> forms, Uri page)
    {
        if (forms.FirstOrDefault(form => form.HasPassword) is { } signIn)
        {
            return (signIn, signIn.Buttons.Count > 0 ? signIn.Buttons[0] : null);
        }

        foreach (var form in forms)
        {
            if (form.Buttons.FirstOrDefault(button => AllowPattern().IsMatch(button.Text + " " + button.Name + " " + button.Value + " " + button.FormAction)) is { } allow)
            {
                return (form, allow);
            }
        }

        throw new InvalidOperationException($"Authorization: {page} has neither a sign-in nor a consent form.");
    }

    private (Uri Page, HttpContent Form) Submission((HtmlForm Form, HtmlForm.Button? Button) choice)
    {
        var (form, button) = choice;
        var credentials = CredentialValues(form);
        var fields = form.Fields.Select(field => credentials.TryGetValue(field.Key, out var value) ? new(field.Key, value) : field).ToList();
        if (button?.Name is { Length: > 0 } name)
        {
            fields.Add(new(name, button.Value ?? ""));
        }

        return (button?.FormAction ?? form.Action, new FormUrlEncodedContent(fields));
    }

    /// <summary>The password goes into the password field, the username into the first visible text field.</summary>
    private Dictionary<string, string> CredentialValues(HtmlForm form)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!form.HasPassword)
        {
            return values;
        }

        if (form.Inputs.FirstOrDefault(input => input.Type is "text" or "email") is { } login)
        {
            values[login.Name] = settings.Username ?? throw new InvalidOperationException("The authorization_code scenario needs --username.");
        }

        values[form.Inputs.First(input => input.Type == "password").Name] = settings.Password ?? "";
        return values;
    }

    private static Code ReadCode(Uri callback, string state, string verifier)
    {
        var parameters = HttpUtility.ParseQueryString(callback.Query);
        if (parameters["error"] is { } error)
        {
            throw new InvalidOperationException($"Authorization: the provider answered {error} ({parameters["error_description"]}).");
        }

        if (parameters["state"] != state || parameters["code"] is not { Length: > 0 } code)
        {
            throw new InvalidOperationException($"Authorization: the redirect carried no code for this request: {callback}");
        }

        return new Code(code, verifier);
    }

    [GeneratedRegex(@"\b(allow|accept|authori[sz]e|confirm|continue|consent|grant|yes)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AllowPattern();
}
