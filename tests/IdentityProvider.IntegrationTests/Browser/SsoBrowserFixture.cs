using System.Globalization;
using IdentityProvider.Clients;
using IdentityProvider.Connect;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityProvider.IntegrationTests.Browser;

/// <summary>The browser fixture plus two company apps (first-party, back-channel logout) registered with the provider.</summary>
public sealed class SsoBrowserFixture : BrowserFixture
{
    private readonly int _portA = FreeLoopbackPort();
    private readonly int _portB = FreeLoopbackPort();

    public CompanyApp AppA { get; private set; } = null!;

    public CompanyApp AppB { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        AppA = await CompanyApp.StartAsync(this, "AppA", "app-a", "app-a-secret-value", _portA);
        AppB = await CompanyApp.StartAsync(this, "AppB", "app-b", "app-b-secret-value", _portB);
    }

    protected override void AddClients(List<ClientDefinition> clients)
    {
        clients.Add(CompanyAppClient("app-a", _portA));
        clients.Add(CompanyAppClient("app-b", _portB));
    }

    /// <summary>The provider's back-channel calls (to apps on localhost, so allowed into a private network) must trust the apps' test certificate.</summary>
    protected override void ConfigureProviderServices(IServiceCollection services) =>
        services.AddHttpClient(BackchannelLogoutSender.PrivateNetworkHttpClientName).ConfigurePrimaryHttpMessageHandler(TrustingHandler);

    private static ClientDefinition CompanyAppClient(string clientId, int port)
    {
        var origin = $"https://localhost:{port.ToString(CultureInfo.InvariantCulture)}";
        return new ClientDefinition
        {
            ClientId = clientId,
            ClientSecret = clientId + "-secret-value",
            Consent = ConsentMode.Implicit,
            Grants = ["authorization_code"],
            Scopes = ["profile", "email"],
            RedirectUris = [new Uri(origin + "/signin-oidc")],
            PostLogoutRedirectUris = [new Uri(origin + "/signout-callback-oidc")],
            BackchannelLogoutUri = new Uri(origin + "/backchannel-logout"),
            BackchannelLogoutToPrivateNetwork = true,
        };
    }

    public override async Task DisposeAsync()
    {
        if (AppA is not null)
        {
            await AppA.DisposeAsync();
        }

        if (AppB is not null)
        {
            await AppB.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
