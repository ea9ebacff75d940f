using System.Diagnostics;

namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>
/// Times the code exchange only. Before each phase every virtual user collects codes through its own browser
/// session for as long as the phase lasts (untimed, unmeasured); the phase then redeems them as fast as it can,
/// so its requests per second, CPU and database figures are those of the exchange alone.
/// </summary>
internal sealed class AuthorizationCodeScenario : IScenario
{
    public string Name => "authorization_code";

    public Task<IVirtualUser> CreateUserAsync(Target target, CancellationToken cancellationToken)
    {
        var endpoint = target.Discovery.AuthorizationEndpoint
            ?? throw new InvalidOperationException($"{target.Label}: the discovery document names no authorization_endpoint.");
        return Task.FromResult<IVirtualUser>(new User(target, new BrowserSession(target.Settings, endpoint)));
    }

    private sealed class User(Target target, BrowserSession browser) : IVirtualUser
    {
        private readonly Queue<BrowserSession.Code> codes = new();

        public async Task PrepareAsync(TimeSpan phase, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            do
            {
                codes.Enqueue(await browser.AuthorizeAsync(cancellationToken));
            }
            while (Stopwatch.GetElapsedTime(started) < phase);
        }

        public async Task<Answer?> SendAsync(CancellationToken cancellationToken)
        {
            if (!codes.TryDequeue(out var code))
            {
                return null;
            }

            return await target.RequestTokenAsync(Grants.AuthorizationCode(code.Value, code.Verifier, browser.RedirectUri), cancellationToken);
        }

        public void Dispose() => browser.Dispose();
    }
}
