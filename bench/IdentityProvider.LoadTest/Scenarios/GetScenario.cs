namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>A public document fetched again and again: discovery or the key set.</summary>
internal sealed class GetScenario(string name, Func<Discovery, Uri> address) : IScenario
{
    public string Name => name;

    public Task<IVirtualUser> CreateUserAsync(Target target, int concurrency, CancellationToken cancellationToken) =>
        Task.FromResult<IVirtualUser>(new User(target, address(target.Discovery)));

    private sealed class User(Target target, Uri address) : IVirtualUser
    {
        public async Task<Answer?> SendAsync(CancellationToken cancellationToken) => await target.GetAsync(address, cancellationToken);
    }
}
