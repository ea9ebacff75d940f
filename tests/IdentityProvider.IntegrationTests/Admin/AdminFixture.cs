using IdentityProvider.IntegrationTests.Infrastructure;

namespace IdentityProvider.IntegrationTests.Admin;

/// <summary>A provider for the admin console tests: small pages, and a clock the tests can move.</summary>
public sealed class AdminFixture : IAsyncLifetime
{
    public ShiftedClock Clock { get; } = new();

    public ProviderFactory Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = new ProviderFactory(await PostgresServer.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Admin:PageSize"] = "10",
        }, Clock);
        _ = Provider.Server;
    }

    public async Task DisposeAsync() => await Provider.DisposeAsync();

    /// <summary>A browser signed in as the seeded admin (alice).</summary>
    public async Task<FormClient> AdminAsync()
    {
        var browser = new FormClient(Provider);
        await TestAccounts.SignInAsync(browser);
        return browser;
    }
}
