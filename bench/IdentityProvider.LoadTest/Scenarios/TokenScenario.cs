namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>The same token request again and again: client_credentials or password.</summary>
internal sealed class TokenScenario(string name, Func<TargetSettings, IEnumerable<KeyValuePair<string, string>>> parameters) : IScenario
{
    public string Name => name;

    public Task<IVirtualUser> CreateUserAsync(Target target, int concurrency, CancellationToken cancellationToken) =>
        Task.FromResult<IVirtualUser>(new User(target, [.. parameters(target.Settings)]));

    private sealed class User(Target target, KeyValuePair<string, string>[] parameters) : IVirtualUser
    {
        public async Task<Answer?> SendAsync(CancellationToken cancellationToken) => await target.RequestTokenAsync(parameters, cancellationToken);
    }
}
