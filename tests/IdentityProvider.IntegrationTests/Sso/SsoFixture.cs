using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityProvider.IntegrationTests.Sso;

/// <summary>One provider (own database) for the single sign-on tests; the company app's back-channel logout address is a real receiver.</summary>
public sealed class SsoFixture : IAsyncLifetime
{
    public ProviderFactory Provider { get; private set; } = null!;

    public LogoutReceiver Receiver { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>The provider's clock; tests move it forward instead of waiting (it never goes back).</summary>
    public ShiftedClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        Receiver = await LogoutReceiver.StartAsync();
        var clients = ProviderFactory.StandardClients();
        var company = clients.Single(client => client.ClientId == ProviderFactory.CompanyClient);
        company.BackchannelLogoutUri = Receiver.Uri;
        company.BackchannelLogoutToPrivateNetwork = true;
        // The same loopback receiver, not allowed: outside Development nothing is posted to it.
        clients.Single(client => client.ClientId == ProviderFactory.NativeClient).BackchannelLogoutUri = Receiver.Uri;
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), clock: Clock)
        {
            Clients = clients,
            ConfigureServices = services => services.AddSingleton<ILoggerProvider>(Logs),
        };
        _ = Provider.Server;
    }

    public async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
