using IdentityProvider.Clients;
using System.Net;
using IdentityProvider.IntegrationTests.Browser;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>
/// A single-page app on oidc-client-ts (tests/relying-parties/spa): a public client on its own
/// loopback origin, code + PKCE with the response in the query, tokens and refreshes through CORS.
/// </summary>
public sealed class SpaRelyingParty(BrowserFixture fixture) : RelyingParty("oidc-client-ts")
{
    private readonly int _port = BrowserFixture.FreeLoopbackPort();
    private WebApplication? _host;

    public override async Task StartAsync(string packagesDirectory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        _host = builder.Build();
        var spa = Path.Combine(packagesDirectory, "spa");
        _host.MapGet("/oidc-client-ts.min.js", () => Results.File(
            Path.Combine(packagesDirectory, "node_modules", "oidc-client-ts", "dist", "browser", "oidc-client-ts.min.js"), "text/javascript"));
        _host.MapGet("/app.js", () => Results.File(Path.Combine(spa, "app.js"), "text/javascript"));
        _host.MapGet("/{client}/{**rest}", () => Results.File(Path.Combine(spa, "index.html"), "text/html"));
        await _host.StartAsync();
    }

    public override Task StartSignInAsync(IPage page, InteropApp app, string? prompt = null) =>
        OpenAndClickAsync(page, app, prompt == "none" ? "Sign in without prompting" : "Sign in");

    public override Task StartSignOutAsync(IPage page, InteropApp app) => OpenAndClickAsync(page, app, "Sign out");

    /// <summary>Asks the app to refresh its tokens with its refresh token (a CORS call to the token endpoint).</summary>
    public static Task RefreshAsync(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Refresh tokens" }).ClickAsync();

    protected override ClientDefinition Registration(InteropApp app) =>
        App(ClientId(app), secret: null, app == InteropApp.ThirdParty,
            $"{Origin(app)}/callback", $"{Origin(app)}/signed-out");

    protected override async ValueTask StopAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task OpenAndClickAsync(IPage page, InteropApp app, string button)
    {
        if (!page.Url.StartsWith(Origin(app) + "/", StringComparison.Ordinal))
        {
            await page.GotoAsync($"{Origin(app)}/?authority={Uri.EscapeDataString(fixture.Origin.ToString())}");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
    }

    private string Origin(InteropApp app) => AppAddress(ClientId(app));

    /// <summary>Where the SPA serves itself as the app with this client id (its redirect URI is this plus <c>/callback</c>).</summary>
    public string AppAddress(string clientId) => $"http://127.0.0.1:{_port}/{clientId}";

    /// <summary>Opens the SPA as the app with this client id, against the fixture's provider, and presses "Sign in".</summary>
    public async Task StartSignInAsync(IPage page, string clientId)
    {
        await page.GotoAsync($"{AppAddress(clientId)}/?authority={Uri.EscapeDataString(fixture.Origin.ToString())}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }
}
