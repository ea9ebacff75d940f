namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>
/// Each virtual user starts its own chain with a password grant and rotates it: every answer must carry a new
/// refresh token, and one that does not (none, or the same one back) counts as the error "not_rotated".
/// </summary>
internal sealed class RefreshTokenScenario : IScenario
{
    public string Name => "refresh_token";

    public async Task<IVirtualUser> CreateUserAsync(Target target, int concurrency, CancellationToken cancellationToken)
    {
        var user = new User(target);
        await user.StartChainAsync(cancellationToken);
        return user;
    }

    private sealed class User(Target target) : IVirtualUser
    {
        private string? refreshToken;

        /// <summary>The first chain must start, or the settings are wrong (is offline_access in --scope?).</summary>
        public async Task StartChainAsync(CancellationToken cancellationToken)
        {
            var answer = await target.RequestTokenAsync(Grants.Password(target.Settings), cancellationToken);
            refreshToken = answer.RefreshToken ?? throw new InvalidOperationException(
                $"{target.Label}: the password grant gave no refresh token ({answer.Error ?? "is offline_access in --scope?"}).");
        }

        public async Task<Answer?> SendAsync(CancellationToken cancellationToken)
        {
            if (refreshToken is null)
            {
                // The chain broke on the previous request: start a new one (untimed, but inside the row's wall time).
                var start = await target.RequestTokenAsync(Grants.Password(target.Settings), cancellationToken);
                if (start.RefreshToken is null)
                {
                    return start with { Error = "chain_not_started_" + (start.Error ?? "no_refresh_token") };
                }

                refreshToken = start.RefreshToken;
            }

            var previous = refreshToken;
            var answer = await target.RequestTokenAsync(Grants.RefreshToken(previous), cancellationToken);
            if (!answer.Succeeded)
            {
                refreshToken = null;
                return answer;
            }

            if (answer.RefreshToken is null || answer.RefreshToken == previous)
            {
                return answer with { Error = "not_rotated" };
            }

            refreshToken = answer.RefreshToken;
            return answer;
        }
    }
}
