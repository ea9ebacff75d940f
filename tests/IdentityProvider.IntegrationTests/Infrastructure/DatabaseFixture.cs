namespace IdentityProvider.IntegrationTests.Infrastructure;

/// <summary>One fresh database and one provider on it for each test class.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public ProviderFactory Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync();
        Provider = new ProviderFactory(ConnectionString);
        _ = Provider.Server;
    }

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}
