namespace IdentityProvider.LoadTest;

/// <summary>One provider to measure, as given on the command line.</summary>
internal sealed record TargetSettings(
    Uri Issuer,
    string ClientId,
    string ClientSecret,
    string? Username,
    string? Password,
    string Scope,
    Uri? RedirectUri,
    int? ServerPid,
    int? DatabasePid,
    string? Postgres,
    PasswordHash PasswordHash);
