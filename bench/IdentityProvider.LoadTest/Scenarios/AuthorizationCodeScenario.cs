using System.Diagnostics;

namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>
/// Times the code exchange only. Before each phase every virtual user collects codes through its own browser
/// session (untimed, unmeasured); the phase then redeems them as fast as it can, so its requests per second, CPU
/// and database figures are those of the exchange alone. The phase ends when the codes run out.
/// </summary>
internal sealed class AuthorizationCodeScenario : IScenario
{
    /// <summary>
    /// Codes collected per phase at most, over all virtual users (and no longer than the phase lasts): they wait
    /// unredeemed until it starts, and a provider may keep only so many (panva's in-memory store holds 1000 objects).
    /// </summary>
    private const int CodesPerPhase = 256;

    public string Name => "authorization_code";

    public Task<IVirtualUser> CreateUserAsync(Target target, int concurrency, CancellationToken cancellationToken)
    {
        var endpoint = target.Discovery.AuthorizationEndpoint
            ?? throw new InvalidOperationException($"{target.Label}: the discovery document names no authorization_endpoint.");
        var codesPerUser = Math.Max(1, CodesPerPhase / concurrency);
        return Task.FromResult<IVirtualUser>(new User(target, new BrowserSession(target.Settings, endpoint), codesPerUser));
    }

    private sealed class User(Target target, BrowserSession browser, int codesPerPhase) : IVirtualUser
    {
        private readonly Queue<BrowserSession.Code> codes = new();

        public async Task PrepareAsync(TimeSpan phase, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            do
            {
                codes.Enqueue(await browser.AuthorizeAsync(cancellationToken));
            }
            while (codes.Count < codesPerPhase && Stopwatch.GetElapsedTime(started) < phase);
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
