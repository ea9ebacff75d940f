using System.CommandLine;

namespace IdentityProvider.LoadTest;

/// <summary>
/// The options that describe one target. The second target's carry the prefix "compare-" and, apart from the
/// process and database ones, default to the first target's values.
/// </summary>
internal sealed class TargetOptions
{
    private readonly Option<Uri?> issuer;
    private readonly Option<string?> clientId;
    private readonly Option<string?> clientSecret;
    private readonly Option<string?> username;
    private readonly Option<string?> password;
    private readonly Option<string?> scope;
    private readonly Option<Uri?> redirectUri;
    private readonly Option<int?> serverPid;
    private readonly Option<int?> databasePid;
    private readonly Option<string?> postgres;
    private readonly Option<PasswordHash?> passwordHash;

    public TargetOptions(string prefix, string issuerDescription)
    {
        issuer = new($"--{prefix}issuer") { Description = issuerDescription + "; its discovery document names the endpoints", CustomParser = CommandLineValues.AbsoluteUri };
        clientId = new($"--{prefix}client-id") { Description = "Confidential client (client_secret_basic)" };
        clientSecret = new($"--{prefix}client-secret") { Description = "Its secret" };
        username = new($"--{prefix}username") { Description = "A user, for password, refresh_token and authorization_code" };
        password = new($"--{prefix}password") { Description = "The user's password" };
        scope = new($"--{prefix}scope") { Description = "Scopes to request (default: openid offline_access); client_credentials drops openid and offline_access" };
        redirectUri = new($"--{prefix}redirect-uri") { Description = "A redirect URI the client registered, for authorization_code", CustomParser = CommandLineValues.AbsoluteUri };
        serverPid = new($"--{prefix}pid") { Description = "PID of the provider's process: CPU per request (with its children) and peak RSS" };
        databasePid = new($"--{prefix}db-pid") { Description = "PID of its database server (PostgreSQL's postmaster): its CPU per request, backends included" };
        postgres = new($"--{prefix}postgres") { Description = "Npgsql connection string to its database: transactions, statements and rows per request" };
        passwordHash = new($"--{prefix}password-hash")
        {
            Description = "The hash it verifies passwords with, for the password-hash bound: argon2id[:m=KiB,t=N] (default, our provider's) or pbkdf2[:i=N] (ASP.NET Core Identity's)",
            CustomParser = PasswordHash.Parse,
        };
    }

    public IEnumerable<Option> All => [issuer, clientId, clientSecret, username, password, scope, redirectUri, serverPid, databasePid, postgres, passwordHash];

    /// <summary>Null when this target's issuer was not given.</summary>
    public TargetSettings? Bind(ParseResult result, TargetSettings? fallback) =>
        result.GetValue(issuer) is not { } address ? null : new TargetSettings(
            address,
            result.GetValue(clientId) ?? fallback?.ClientId ?? throw new ArgumentException($"{clientId.Name} is required."),
            result.GetValue(clientSecret) ?? fallback?.ClientSecret ?? throw new ArgumentException($"{clientSecret.Name} is required."),
            result.GetValue(username) ?? fallback?.Username,
            result.GetValue(password) ?? fallback?.Password,
            result.GetValue(scope) ?? fallback?.Scope ?? "openid offline_access",
            result.GetValue(redirectUri) ?? fallback?.RedirectUri,
            result.GetValue(serverPid),
            result.GetValue(databasePid),
            result.GetValue(postgres),
            result.GetValue(passwordHash) ?? fallback?.PasswordHash ?? PasswordHash.Argon2id);
}
