using IdentityProvider.Clients;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityProvider.IntegrationTests.Browser;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>
/// A native app as RFC 8252 has it: a public client that, for every request, listens on a new random
/// loopback port (§7.3), sends the system browser to the provider, takes the code at
/// <c>http://127.0.0.1:{port}/callback</c> and redeems it with its PKCE verifier. It checks the state,
/// the id_token's signature (from JWKS), issuer, audience and nonce, and asks userinfo for the email.
/// </summary>
public sealed class NativeRelyingParty(BrowserFixture fixture) : RelyingParty("native")
{
    private WebApplication? _listener;

    public override async Task StartSignInAsync(IPage page, InteropApp app, string? prompt = null)
    {
        var clientId = ClientId(app);
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var (state, nonce) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        var origin = await ListenAsync(clientId, async (context, redirectUri) =>
        {
            var query = context.Request.Query;
            if (query["state"] != state)
            {
                return $"{clientId}: error unexpected state";
            }

            if (query.ContainsKey("error"))
            {
                return $"{clientId}: error {query["error"]}";
            }

            return await RedeemAsync(clientId, query["code"].ToString(), verifier, redirectUri, nonce);
        });
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = origin + "callback",
            ["scope"] = "openid profile email",
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["prompt"] = prompt,
        };
        await page.GotoAsync(QueryHelpers.AddQueryString(fixture.Origin + "connect/authorize", parameters.Where(p => p.Value is not null)));
    }

    public override async Task StartSignOutAsync(IPage page, InteropApp app)
    {
        var clientId = ClientId(app);
        var state = Guid.NewGuid().ToString("N");
        var origin = await ListenAsync(clientId, (context, _) => Task.FromResult(
            context.Request.Query["state"] == state ? $"{clientId}: signed out, state {state}" : $"{clientId}: error unexpected state"));
        await page.GotoAsync(QueryHelpers.AddQueryString(fixture.Origin + "connect/endsession", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["post_logout_redirect_uri"] = origin + "signed-out",
            ["state"] = state,
        }));
    }

    // Registered without a port: the provider must accept whichever port the app listens on.
    protected override ClientDefinition Registration(InteropApp app) =>
        App(ClientId(app), secret: null, app == InteropApp.ThirdParty,
            "http://127.0.0.1/callback", "http://127.0.0.1/signed-out", native: true);

    protected override async ValueTask StopAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }

    /// <summary>Opens a new loopback listener on a random port (closing the previous one) that answers its one page with <paramref name="handle"/>.</summary>
    private async Task<string> ListenAsync(string clientId, Func<HttpContext, string, Task<string>> handle)
    {
        await StopAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _listener = builder.Build();
        _listener.MapGet("/{page}", async (HttpContext context) =>
        {
            var address = $"http://127.0.0.1:{context.Connection.LocalPort}{context.Request.Path}";
            return CompanyApp.Status(await handle(context, address));
        });
        await _listener.StartAsync();
        var address = _listener.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return address.TrimEnd('/') + "/";
    }

    private async Task<string> RedeemAsync(string clientId, string code, string verifier, string redirectUri, string nonce)
    {
        using var http = new HttpClient(fixture.TrustingHandler()) { BaseAddress = fixture.Origin };
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri,
        }));
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            return $"{clientId}: error {tokens.GetProperty("error").GetString()}";
        }

        var keys = new JsonWebKeySet(await http.GetStringAsync(".well-known/jwks"));
        var idToken = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.GetProperty("id_token").GetString(), new TokenValidationParameters
        {
            ValidIssuer = fixture.Origin.ToString(),
            ValidAudience = clientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
        if (!idToken.IsValid || idToken.Claims["nonce"] as string != nonce)
        {
            return $"{clientId}: error invalid id_token";
        }

        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo");
        userInfoRequest.Headers.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());
        using var userInfo = await http.SendAsync(userInfoRequest);
        var claims = await userInfo.Content.ReadFromJsonAsync<JsonElement>();
        return $"{clientId}: signed in as {claims.GetProperty("email").GetString()} (sub {idToken.Claims["sub"]})";
    }
}
