using System.Globalization;

namespace IdentityProvider.Clients;

/// <summary>
/// The rules a client registration keeps, wherever it comes from (bootstrap, command line, console).
/// Every broken rule is one problem, in words that name the client.
/// </summary>
public static class ClientRules
{
    private static readonly TimeSpan MaximumAccessTokenLifetime = TimeSpan.FromDays(1);

    private static readonly TimeSpan MaximumRefreshTokenLifetime = TimeSpan.FromDays(365);

    /// <summary>What is wrong with the definition; empty when it may be registered.</summary>
    public static IReadOnlyList<string> Problems(ClientDefinition client) =>
        [.. BrokenRules(client).Select(problem => $"Client '{client.ClientId}': {problem}")];

    /// <summary>
    /// Why a redirect URI may not be registered, or null: it must be absolute, without a fragment, and
    /// https, except http on a loopback address and, for native apps, their own private-use scheme in
    /// reverse-domain form (RFC 8252 §7.1), so never a scheme a browser acts on itself, such as javascript: or data:.
    /// </summary>
    public static string? RedirectUriProblem(Uri uri, ApplicationKind application) => uri switch
    {
        { IsAbsoluteUri: false } => "must be absolute",
        _ when uri.Fragment.Length > 0 => "must not have a fragment",
        { Scheme: "https" } => null,
        { Scheme: "http" } => uri.IsLoopback ? null : "must use https (plain http only on a loopback address)",
        _ when application != ApplicationKind.Native => "must use https (a custom scheme is only for native apps)",
        _ when IsReverseDomain(uri.Scheme) => null,
        _ => "must use https, http on a loopback address, or the app's own scheme named after a domain it controls, reversed (com.example.app:/callback, RFC 8252 §7.1)",
    };

    private static bool IsReverseDomain(string scheme) => scheme.Split('.') is { Length: >= 2 } labels && labels.All(label => label.Length > 0);

    private static IEnumerable<string> BrokenRules(ClientDefinition client)
    {
        if (ClientIdAttribute.Problem(client.ClientId) is { } clientIdProblem)
        {
            yield return clientIdProblem;
        }

        // SupportedGrants is the keys of a case-insensitive dictionary, and Contains asks the dictionary.
        var unknown = client.Grants.Where(grant => !ClientRegistration.SupportedGrants.Contains(grant)).ToList();
        if (unknown.Count > 0)
        {
            yield return $"unknown grant(s) {string.Join(", ", unknown)}; use {string.Join(", ", ClientRegistration.SupportedGrants)}.";
        }

        var isPublic = client.Type == ClientKind.Public;
        var hasSecret = !string.IsNullOrEmpty(client.ClientSecret);
        if (isPublic && hasSecret)
        {
            yield return "a public client cannot have a secret.";
        }

        if (!isPublic && !hasSecret)
        {
            yield return "a confidential client needs a ClientSecret.";
        }

        if (isPublic && !client.RequirePkce)
        {
            yield return "a public client must use PKCE (RequirePkce cannot be false).";
        }

        if (isPublic && client.Grants.Contains("client_credentials", StringComparer.OrdinalIgnoreCase))
        {
            yield return "a public client cannot use client_credentials.";
        }

        if (isPublic && client.Introspection)
        {
            yield return "a public client cannot use introspection (RFC 7662 §2.1 needs client authentication).";
        }

        foreach (var scope in client.Scopes)
        {
            if (ScopeNameAttribute.Problem(scope) is { } scopeProblem)
            {
                yield return $"scope '{scope}': {scopeProblem}";
            }
        }

        foreach (var uri in client.RedirectUris.Concat(client.PostLogoutRedirectUris))
        {
            if (RedirectUriProblem(uri, client.Application) is { } uriProblem)
            {
                yield return $"redirect URI '{uri}' {uriProblem}.";
            }
        }

        if (LifetimeProblem("AccessTokenLifetime", client.AccessTokenLifetime, MaximumAccessTokenLifetime) is { } accessProblem)
        {
            yield return accessProblem;
        }

        if (LifetimeProblem("RefreshTokenLifetime", client.RefreshTokenLifetime, MaximumRefreshTokenLifetime) is { } refreshProblem)
        {
            yield return refreshProblem;
        }

        // A web app's redirect rule: the provider posts to it, so no custom scheme, even for a native app.
        if (client.BackchannelLogoutUri is { } logoutUri && RedirectUriProblem(logoutUri, ApplicationKind.Web) is not null)
        {
            yield return "BackchannelLogoutUri must be an absolute https address without a fragment (http only on loopback).";
        }
    }

    private static string? LifetimeProblem(string name, TimeSpan? lifetime, TimeSpan maximum) =>
        lifetime is not { } value || (value >= TimeSpan.FromMinutes(1) && value <= maximum)
            ? null
            : $"{name} must be between 00:01:00 and {maximum.ToString("c", CultureInfo.InvariantCulture)}.";
}
