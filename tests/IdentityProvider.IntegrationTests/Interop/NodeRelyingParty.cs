using IdentityProvider.Clients;
using System.Diagnostics;
using IdentityProvider.IntegrationTests.Browser;
using Microsoft.Playwright;

namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>
/// A server-side web app on openid-client v6 for Node (tests/relying-parties/server-app.mjs):
/// confidential, code + PKCE, response in the query, its own process on a loopback port. Besides the registered
/// apps it runs <see cref="SelfRegisteredApp"/>, which registers itself through dynamic client registration at start.
/// </summary>
public sealed class NodeRelyingParty(BrowserFixture fixture) : RelyingParty("openid-client")
{
    public const string SelfRegisteredApp = "self-registered";

    private readonly int _port = BrowserFixture.FreeLoopbackPort();
    private readonly string _certificateFile = Path.GetTempFileName();
    private Process? _process;

    public override async Task StartAsync(string packagesDirectory)
    {
        // Node trusts the provider's throwaway certificate the way an operator would add a private CA.
        await File.WriteAllTextAsync(_certificateFile, fixture.CertificatePem());
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = packagesDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server-app.mjs");
        start.ArgumentList.Add(fixture.Origin.ToString());
        start.ArgumentList.Add(_port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var app in Enum.GetValues<InteropApp>())
        {
            start.ArgumentList.Add($"{ClientId(app)}={Secret(app)}");
        }

        start.ArgumentList.Add($"{SelfRegisteredApp}@{await Developers.Registration.IssueInitialTokenAsync(fixture.Provider, maxUses: 1)}");

        start.Environment["NODE_EXTRA_CA_CERTS"] = _certificateFile;
        _process = Process.Start(start)!;
        var errors = _process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != "listening")
        {
            _process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The openid-client app did not start: {line} {await errors}");
        }
    }

    public override Task StartSignInAsync(IPage page, InteropApp app, string? prompt = null) =>
        page.GotoAsync(Origin(app) + "/login" + (prompt is null ? "" : "?prompt=" + prompt));

    public override Task StartSignOutAsync(IPage page, InteropApp app) => page.GotoAsync(Origin(app) + "/logout");

    /// <summary>Opens <see cref="SelfRegisteredApp"/> and starts its sign-in.</summary>
    public Task StartSelfRegisteredSignInAsync(IPage page) => page.GotoAsync($"http://127.0.0.1:{_port}/{SelfRegisteredApp}/login");

    protected override ClientDefinition Registration(InteropApp app) =>
        App(ClientId(app), Secret(app), app == InteropApp.ThirdParty,
            Origin(app) + "/callback", Origin(app) + "/signed-out");

    protected override async ValueTask StopAsync()
    {
        if (_process is not null)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        File.Delete(_certificateFile);
    }

    private string Origin(InteropApp app) => $"http://127.0.0.1:{_port}/{ClientId(app)}";

    private string Secret(InteropApp app) => ClientId(app) + "-secret-value";
}
