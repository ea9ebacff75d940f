using System.Reflection;
using IdentityProvider.Clients;
using IdentityProvider.IntegrationTests.Browser;
using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>
/// The provider in Chromium with four relying-party libraries, each with three registered apps:
/// ASP.NET Core's OpenIdConnect handler, oidc-client-ts in a single-page app, openid-client in a Node
/// server app, and a native app on a loopback port. The Node libraries come from npm, pinned by
/// tests/relying-parties/package-lock.json, installed here on first use.
/// </summary>
public sealed class InteropFixture : BrowserFixture
{
    private readonly RelyingParty[] _parties;

    public InteropFixture()
    {
        Spa = new SpaRelyingParty(this);
        Node = new NodeRelyingParty(this);
        _parties = [new AspNetCoreRelyingParty(this), Spa, Node, new NativeRelyingParty(this)];
    }

    public SpaRelyingParty Spa { get; }

    public NodeRelyingParty Node { get; }

    public RelyingParty this[string library] => _parties.Single(party => party.Library == library);

    public override async Task InitializeAsync()
    {
        if (Chromium.MissingReason is not null)
        {
            return;
        }

        var packages = typeof(InteropFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "RelyingPartiesDirectory").Value!;
        await InstallPackagesAsync(packages);
        await base.InitializeAsync();
        foreach (var party in _parties)
        {
            await party.StartAsync(packages);
        }
    }

    protected override void AddClients(List<ClientDefinition> clients)
    {
        foreach (var party in _parties)
        {
            party.Register(clients);
        }
    }

    public override async Task DisposeAsync()
    {
        foreach (var party in _parties)
        {
            await party.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Runs <c>npm ci</c> when the lock file is newer than what node_modules holds.</summary>
    private static async Task InstallPackagesAsync(string directory)
    {
        var installed = Path.Combine(directory, "node_modules", ".package-lock.json");
        if (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(Path.Combine(directory, "package-lock.json")))
        {
            return;
        }

        await ExternalProgram.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], directory, TimeSpan.FromMinutes(3));
    }
}
