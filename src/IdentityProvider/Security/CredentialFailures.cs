namespace IdentityProvider.Security;

/// <summary>
/// Marks a request whose password or code was refused (wrong, or an unknown or locked account), so that it keeps the
/// failed sign-in permit <see cref="RateLimiting"/> reserved for it; sign-ins that did not fail give theirs back.
/// </summary>
internal static class CredentialFailures
{
    private const string FailedItem = "IdentityProvider.CredentialCheckFailed";

    /// <summary>Called where a password or code was refused.</summary>
    public static void Mark(HttpContext? context)
    {
        if (context is not null)
        {
            context.Items[FailedItem] = true;
        }
    }

    public static bool Failed(HttpContext context) => context.Items.ContainsKey(FailedItem);
}
