namespace IdentityProvider.Audit;

/// <summary>The kinds of audit events, by area.</summary>
public static class AuditTypes
{
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string LockedOut = "signin.locked_out";
    public const string PasswordResetRequested = "password.reset_requested";
    public const string PasswordResetCompleted = "password.reset_completed";
    public const string EmailConfirmed = "email.confirmed";
    public const string PasswordChanged = "password.changed";
    public const string EmailChanged = "email.changed";
    public const string TwoFactorEnabled = "two_factor.enabled";
    public const string TwoFactorDisabled = "two_factor.disabled";
    public const string ConsentGranted = "consent.granted";
    public const string ConsentRevoked = "consent.revoked";
    public const string MailFailed = "mail.failed";
    public const string RefreshTokenReused = "token.refresh_reused";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDeleted = "user.deleted";
    public const string UserLocked = "user.locked";
    public const string UserUnlocked = "user.unlocked";
    public const string UserRoleAdded = "user.role_added";
    public const string UserRoleRemoved = "user.role_removed";
    public const string UserSignedOutEverywhere = "user.signed_out_everywhere";
    public const string UserAppRevoked = "user.app_revoked";
    public const string UserSessionRevoked = "user.session_revoked";
    public const string RoleCreated = "role.created";
    public const string RoleRenamed = "role.renamed";
    public const string RoleDeleted = "role.deleted";
    public const string ClientCreated = "client.created";
    public const string ClientUpdated = "client.updated";
    public const string ClientSecretRotated = "client.secret_rotated";
    public const string ClientDeleted = "client.deleted";
    public const string ScopeCreated = "scope.created";
    public const string ScopeUpdated = "scope.updated";
    public const string InitialAccessTokenIssued = "initial_access_token.issued";
    public const string InitialAccessTokenRevoked = "initial_access_token.revoked";
    public const string ThirdPartyAppRegistered = "third_party_app.registered";
    public const string ThirdPartyAppUpdated = "third_party_app.updated";
    public const string ThirdPartyAppApproved = "third_party_app.approved";
    public const string ThirdPartyAppSuspended = "third_party_app.suspended";
    public const string ThirdPartyAppVerified = "third_party_app.verified";

    public static IReadOnlyList<string> All { get; } =
    [
        SignInSucceeded, SignInFailed, LockedOut, PasswordResetRequested, PasswordResetCompleted, EmailConfirmed,
        PasswordChanged, EmailChanged, TwoFactorEnabled, TwoFactorDisabled,
        ConsentGranted, ConsentRevoked, MailFailed, RefreshTokenReused, UserCreated, UserUpdated, UserDeleted, UserLocked, UserUnlocked,
        UserRoleAdded, UserRoleRemoved, UserSignedOutEverywhere, UserAppRevoked, UserSessionRevoked, RoleCreated, RoleRenamed, RoleDeleted,
        ClientCreated, ClientUpdated, ClientSecretRotated, ClientDeleted, ScopeCreated, ScopeUpdated,
        InitialAccessTokenIssued, InitialAccessTokenRevoked,
        ThirdPartyAppRegistered, ThirdPartyAppUpdated, ThirdPartyAppApproved, ThirdPartyAppSuspended, ThirdPartyAppVerified,
    ];
}
