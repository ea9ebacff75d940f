namespace IdentityProvider.IntegrationTests.Interop;

/// <summary>
/// One <see cref="InteropFixture"/> (provider, Chromium, relying parties) for all the per-library test
/// classes, which xunit runs in parallel: started by the first class that needs it, stopped when the
/// last one running lets go.
/// </summary>
public sealed class SharedInteropFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static InteropFixture? s_fixture;
    private static int s_users;

    public InteropFixture Fixture { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (s_fixture is null)
            {
                var fixture = new InteropFixture();
                await fixture.InitializeAsync();
                s_fixture = fixture;
            }

            s_users++;
            Fixture = s_fixture;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--s_users == 0 && s_fixture is not null)
            {
                await s_fixture.DisposeAsync();
                s_fixture = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
