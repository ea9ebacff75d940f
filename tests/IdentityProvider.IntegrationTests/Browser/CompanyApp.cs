using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>
/// A small company web app that signs in with ASP.NET Core's own OpenID Connect handler, as a real
/// relying party would, and honours back-channel logout: it validates the provider's logout token and
/// refuses its own cookies for that session from then on.
/// </summary>
public sealed class CompanyApp : IAsyncDisposable
{
    private const string WithoutHint = "without-id-token-hint";

    private readonly WebApplication _app;

    private CompanyApp(WebApplication app, Uri origin)
    {
        _app = app;
        Origin = origin;
    }

    public Uri Origin { get; }

    public static async Task<CompanyApp> StartAsync(BrowserFixture fixture, string name, string clientId, string secret, int port)
    {
        var origin = new Uri($"https://localhost:{port}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => fixture.ListenHttps(kestrel, port));
        var endedSessions = new ConcurrentDictionary<string, bool>();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                // Apps on one host share a cookie jar (ports do not separate cookies): each needs its own name.
                options.Cookie.Name = name + ".Session";
                options.Events.OnValidatePrincipal = context =>
                {
                    if (context.Principal?.FindFirst("sid")?.Value is { } sid && endedSessions.ContainsKey(sid))
                    {
                        context.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(options =>
            {
                options.Authority = fixture.Origin.ToString();
                options.ClientId = clientId;
                options.ClientSecret = secret;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.MapInboundClaims = false;
                options.SaveTokens = true;
                options.Scope.Add("email");
                options.BackchannelHttpHandler = fixture.TrustingHandler();
                options.CorrelationCookie.Name = name + ".Correlation.";
                options.NonceCookie.Name = name + ".Nonce.";
                // An error the provider sent back (login_required, access_denied) is shown, not thrown.
                options.Events.OnRemoteFailure = context =>
                {
                    context.Response.Redirect("/error?e=" + Uri.EscapeDataString(context.Failure?.Data["error"] as string ?? context.Failure?.Message ?? ""));
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
                // Without id_token_hint (and with client_id instead) the provider asks the user before signing out.
                options.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    if (context.Properties.Items.ContainsKey(WithoutHint))
                    {
                        context.ProtocolMessage.IdTokenHint = null;
                        context.ProtocolMessage.ClientId = clientId;
                    }

                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", (ClaimsPrincipal user) => Status($"{name}: signed in as {user.FindFirst("email")?.Value} (sub {user.FindFirst("sub")?.Value})"))
            .RequireAuthorization();
        app.MapGet("/login", (string? prompt) => Results.Challenge(
            new OpenIdConnectChallengeProperties { RedirectUri = "/", Prompt = prompt }, [OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/error", (string e) => Status($"{name}: error {e}"));
        app.MapGet("/signout", (bool? confirm) => Results.SignOut(
            new AuthenticationProperties(confirm == true ? new Dictionary<string, string?> { [WithoutHint] = "" } : []) { RedirectUri = "/signed-out" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        // Reached only through the handler's sign-out callback, which checks the state it sent.
        app.MapGet("/signed-out", () => Status($"{name}: signed out, state checked by the handler"));
        app.MapPost("/backchannel-logout", async (HttpContext context, IOptionsMonitor<OpenIdConnectOptions> oidc) =>
        {
            var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(context.RequestAborted);
            var form = await context.Request.ReadFormAsync();
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(form["logout_token"].ToString(), new TokenValidationParameters
            {
                ValidIssuer = configuration.Issuer,
                ValidAudience = clientId,
                IssuerSigningKeys = configuration.SigningKeys,
                ValidTypes = ["logout+jwt"],
            });
            if (!result.IsValid || !result.Claims.ContainsKey("events") || result.Claims.ContainsKey("nonce") ||
                !result.Claims.TryGetValue("sid", out var sidValue) || sidValue is not string sid)
            {
                return Results.BadRequest();
            }

            endedSessions[sid] = true;
            return Results.Ok();
        });
        await app.StartAsync();
        return new CompanyApp(app, origin);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The page every test relying party shows: one line in <c>#status</c>.</summary>
    public static IResult Status(string text) =>
        Results.Content($"<!DOCTYPE html><title>App</title><p id=\"status\">{System.Net.WebUtility.HtmlEncode(text)}</p>", "text/html; charset=utf-8");
}
