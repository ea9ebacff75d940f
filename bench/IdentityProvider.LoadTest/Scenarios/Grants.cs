namespace IdentityProvider.LoadTest.Scenarios;

/// <summary>Token request parameters for each grant (RFC 6749 §4 and §6).</summary>
internal static class Grants
{
    public static IEnumerable<KeyValuePair<string, string>> Password(TargetSettings settings) =>
    [
        new("grant_type", "password"),
        new("username", settings.Username ?? throw new InvalidOperationException("The password grant needs --username and --password.")),
        new("password", settings.Password ?? ""),
        new("scope", settings.Scope),
    ];

    /// <summary>A client acts for itself: the user-facing scopes (openid, offline_access) do not apply.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ClientCredentials(TargetSettings settings)
    {
        var scope = string.Join(' ', settings.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Except(["openid", "offline_access"]));
        return scope.Length > 0
            ? [new("grant_type", "client_credentials"), new("scope", scope)]
            : [new("grant_type", "client_credentials")];
    }

    public static IEnumerable<KeyValuePair<string, string>> RefreshToken(string refreshToken) =>
        [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)];

    public static IEnumerable<KeyValuePair<string, string>> AuthorizationCode(string code, string verifier, Uri redirectUri) =>
        [new("grant_type", "authorization_code"), new("code", code), new("code_verifier", verifier), new("redirect_uri", redirectUri.AbsoluteUri)];
}
