using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Security;

/// <summary>
/// A budget of failed credential checks (wrong passwords and codes, unknown or locked accounts) per client
/// address, far smaller than the request limits: credential stuffing across many accounts from one address
/// meets 429 after a few dozen guesses, while an app's refreshes and the users who type their password right
/// never touch it. The sign-in steps mark a failure on the request; the rate-limit middleware spends it.
/// </summary>
internal sealed class CredentialFailures(IOptions<RateLimitOptions> options) : IDisposable
{
    private const string FailedItem = "IdentityProvider.CredentialCheckFailed";

    private readonly PartitionedRateLimiter<string> _budget = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FailedSignInsPerIp,
            Window = options.Value.Window,
            QueueLimit = 0,
        }));

    /// <summary>Called where a password or code was refused.</summary>
    public static void Mark(HttpContext? context)
    {
        if (context is not null)
        {
            context.Items[FailedItem] = true;
        }
    }

    /// <summary>A failed lease (with its Retry-After) when the address has no failures left in this window.</summary>
    public RateLimitLease Check(string address) => _budget.AttemptAcquire(address, permitCount: 0);

    public void SpendIfFailed(HttpContext context, string address)
    {
        if (context.Items.ContainsKey(FailedItem))
        {
            _budget.AttemptAcquire(address).Dispose();
        }
    }

    public void Dispose() => _budget.Dispose();
}
