using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Sso;

/// <summary>One provider (own database) for the single sign-on tests; the company app's back-channel logout address is a real receiver.</summary>
public sealed class SsoFixture : IAsyncLifetime
{
    public ProviderFactory Provider { get; private set; } = null!;

    public LogoutReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await LogoutReceiver.StartAsync();
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Bootstrap:Clients:3:BackchannelLogoutUri"] = Receiver.Uri.ToString(),
        });
        _ = Provider.Server;
    }

    public async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
