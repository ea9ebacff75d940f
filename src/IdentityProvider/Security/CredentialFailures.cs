using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Security;

/// <summary>
/// A budget of failed credential checks (wrong passwords and codes, unknown or locked accounts) per client
/// address, far smaller than the request limits: credential stuffing across many accounts from one address
/// meets 429 after a few dozen guesses, while an app's refreshes and the users who type their password right
/// never touch it. Each sign-in reserves one failure before it runs, so guesses sent in parallel cannot
/// outrun the budget, and gives it back when it did not fail (the sign-in steps mark a failure on the request).
/// </summary>
internal sealed class CredentialFailures(IOptions<RateLimitOptions> options, IMemoryCache cache, TimeProvider time)
{
    private const string FailedItem = "IdentityProvider.CredentialCheckFailed";

    /// <summary>The failures of one key in the current window.</summary>
    public sealed class Window(DateTimeOffset ends)
    {
        private int _count;

        public DateTimeOffset Ends { get; } = ends;

        internal bool TryTake(int limit)
        {
            if (Interlocked.Increment(ref _count) <= limit)
            {
                return true;
            }

            Interlocked.Decrement(ref _count);
            return false;
        }

        internal void GiveBack() => Interlocked.Decrement(ref _count);
    }

    /// <summary>Called where a password or code was refused.</summary>
    public static void Mark(HttpContext? context)
    {
        if (context is not null)
        {
            context.Items[FailedItem] = true;
        }
    }

    /// <summary>Reserves one failure for a sign-in about to run; false when the key has none left in this window.</summary>
    public bool TryReserve(string key, out Window window)
    {
        window = cache.GetOrCreate("credential-failures:" + key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = options.Value.Window;
            return new Window(time.GetUtcNow() + options.Value.Window);
        })!;
        return window.TryTake(options.Value.FailedSignInsPerIp);
    }

    /// <summary>How long until the window of a spent budget ends.</summary>
    public TimeSpan RetryAfter(Window window) => window.Ends - time.GetUtcNow() is var left && left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);

    /// <summary>Keeps the reservation if the sign-in failed, gives it back if not.</summary>
    public static void Settle(HttpContext context, Window reservation)
    {
        if (!context.Items.ContainsKey(FailedItem))
        {
            reservation.GiveBack();
        }
    }
}
