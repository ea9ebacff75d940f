using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Sso;

/// <summary>One provider (own database) for the single sign-on tests, with helpers that read its keys.</summary>
public sealed class SsoFixture : IAsyncLifetime
{
    public ProviderFactory Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync());
        _ = Provider.Server;
    }

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}
