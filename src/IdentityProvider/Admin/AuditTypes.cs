namespace IdentityProvider.Admin;

/// <summary>The kinds of audit events, by area.</summary>
public static class AuditTypes
{
    public const string UserLocked = "user.locked";
    public const string UserUnlocked = "user.unlocked";

    public static IReadOnlyList<string> All { get; } = [UserLocked, UserUnlocked];
}
