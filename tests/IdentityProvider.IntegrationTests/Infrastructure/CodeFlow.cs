using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>The client side of the authorization code flow, driven through a <see cref="FormClient"/> (a browser without JavaScript).</summary>
public sealed class CodeFlow(FormClient browser)
{
    public string ClientId { get; init; } = ProviderFactory.CompanyClient;

    public string RedirectUri { get; init; } = ProviderFactory.CompanyRedirectUri;

    public string Scope { get; init; } = "openid profile email offline_access";

    public string Verifier { get; } = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public string Challenge => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public string State { get; } = Guid.NewGuid().ToString("N");

    public string Nonce { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The authorization request as a relative URL; <paramref name="extra"/> adds or (with a null value) removes parameters.</summary>
    public string AuthorizeUrl(params (string Name, string? Value)[] extra)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["scope"] = Scope,
            ["state"] = State,
            ["nonce"] = Nonce,
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in extra)
        {
            parameters[name] = value;
        }

        return QueryHelpers.AddQueryString("connect/authorize", parameters.Where(p => p.Value is not null)!);
    }

    /// <summary>GETs the authorization request and returns the response without following it.</summary>
    public async Task<HttpResponseMessage> AuthorizeAsync(params (string Name, string? Value)[] extra) =>
        await browser.Http.GetAsync(AuthorizeUrl(extra));

    /// <summary>Where a redirect points, made absolute against the provider's address.</summary>
    public static Uri Location(HttpResponseMessage response) => new(new Uri("https://idp.test/"), response.Headers.Location!);

    /// <summary>The query parameters of a redirect (back to the client, normally).</summary>
    public static Dictionary<string, string> ReturnedParameters(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        var location = response.Headers.Location!;
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    /// <summary>Runs the flow for a browser that is signed in and has consented: returns the code.</summary>
    public async Task<string> CodeAsync(params (string Name, string? Value)[] extra)
    {
        using var response = await AuthorizeAsync(extra);
        var returned = ReturnedParameters(response);
        Assert.StartsWith(RedirectUri, response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(State, returned["state"]);
        return returned.TryGetValue("code", out var code) ? code : throw new InvalidOperationException($"No code: {response.Headers.Location}");
    }
}
