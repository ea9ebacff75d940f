using IdentityProvider.Clients;
using IdentityProvider.IntegrationTests.Browser;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>ASP.NET Core's OpenIdConnect handler (<see cref="CompanyApp"/>): confidential, code + PKCE, form_post.</summary>
public sealed class AspNetCoreRelyingParty(BrowserFixture fixture) : RelyingParty("aspnetcore")
{
    private readonly Dictionary<InteropApp, int> _ports = Enum.GetValues<InteropApp>().ToDictionary(app => app, _ => BrowserFixture.FreeLoopbackPort());
    private readonly List<CompanyApp> _apps = [];

    public override async Task StartAsync(string packagesDirectory)
    {
        foreach (var (app, port) in _ports)
        {
            _apps.Add(await CompanyApp.StartAsync(fixture, ClientId(app), ClientId(app), Secret(app), port));
        }
    }

    public override Task StartSignInAsync(IPage page, InteropApp app, string? prompt = null) =>
        page.GotoAsync(Origin(app) + "login" + (prompt is null ? "" : "?prompt=" + prompt));

    public override Task StartSignOutAsync(IPage page, InteropApp app) => page.GotoAsync(Origin(app) + "signout?confirm=true");

    protected override ClientDefinition Registration(InteropApp app) =>
        App(ClientId(app), Secret(app), app == InteropApp.ThirdParty,
            Origin(app) + "signin-oidc", Origin(app) + "signout-callback-oidc");

    protected override async ValueTask StopAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    private string Origin(InteropApp app) => $"https://localhost:{_ports[app]}/";

    private string Secret(InteropApp app) => ClientId(app) + "-secret-value";
}
