using System.Text.Json;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Developers;

/// <summary>
/// Reads RFC 7591 client metadata into a <see cref="ThirdPartyAppSpec"/>, and writes a registered app back as metadata
/// (RFC 7591 §3.2.1, RFC 7592 §3). Members the provider does not use (logo_uri, contacts...) are ignored (§2).
/// </summary>
public static class RegistrationRequest
{
    public const string InvalidRedirectUri = "invalid_redirect_uri";
    public const string InvalidClientMetadata = "invalid_client_metadata";
    public const string InvalidSoftwareStatement = "invalid_software_statement";

    private const string SecretBasic = "client_secret_basic";
    private const string SecretPost = "client_secret_post";
    private const string NoSecret = "none";

    /// <summary>Members only the server sets (RFC 7592 §2.2): a request that sends them is refused.</summary>
    private static readonly string[] ServerMembers = ["registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at"];

    /// <summary>The spec, or the RFC 7591 §3.2.2 error code and what is wrong.</summary>
    public static (ThirdPartyAppSpec? Spec, string? Error, string? Description) Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Fail(InvalidClientMetadata, "The body must be a JSON object of client metadata.");
        }

        if (body.TryGetProperty("software_statement", out _))
        {
            return Fail(InvalidSoftwareStatement, "Software statements are not accepted; send the metadata itself.");
        }

        if (ServerMembers.FirstOrDefault(name => body.TryGetProperty(name, out _)) is { } serverMember)
        {
            return Fail(InvalidClientMetadata, $"{serverMember} is set by the server, not sent to it.");
        }

        if (!Uris(body, "redirect_uris", out var redirectUris) || redirectUris.Count == 0)
        {
            return Fail(InvalidRedirectUri, "redirect_uris must be a non-empty array of absolute URIs.");
        }

        if (!Uris(body, "post_logout_redirect_uris", out var logoutUris))
        {
            return Fail(InvalidClientMetadata, "post_logout_redirect_uris must be an array of absolute URIs.");
        }

        if (!Text(body, "application_type", out var applicationType) || applicationType is not (null or ApplicationTypes.Web or ApplicationTypes.Native))
        {
            return Fail(InvalidClientMetadata, "application_type must be web or native.");
        }

        var native = applicationType == ApplicationTypes.Native;
        if (!Text(body, "token_endpoint_auth_method", out var authMethod) || authMethod is not (null or SecretBasic or SecretPost or NoSecret))
        {
            return Fail(InvalidClientMetadata, "token_endpoint_auth_method must be client_secret_basic, client_secret_post or none.");
        }

        authMethod ??= native ? NoSecret : SecretBasic;
        if (native && authMethod != NoSecret)
        {
            return Fail(InvalidClientMetadata, "A native app cannot keep a secret: use token_endpoint_auth_method none (PKCE protects its codes).");
        }

        if (!Texts(body, "grant_types", out var grants) || grants.Any(grant => grant is not (GrantTypes.AuthorizationCode or GrantTypes.RefreshToken))
            || (grants.Count > 0 && !grants.Contains(GrantTypes.AuthorizationCode)))
        {
            return Fail(InvalidClientMetadata, "grant_types must be authorization_code, optionally with refresh_token.");
        }

        if (!Texts(body, "response_types", out var responseTypes) || responseTypes.Any(type => type != ResponseTypes.Code))
        {
            return Fail(InvalidClientMetadata, "response_types may hold only code.");
        }

        if (!Text(body, "scope", out var scope) || scope?.Length > 2000)
        {
            return Fail(InvalidClientMetadata, "scope must be a string of space-separated scopes.");
        }

        if (!Text(body, "client_name", out var name))
        {
            return Fail(InvalidClientMetadata, "client_name must be a string.");
        }

        var links = new Dictionary<string, Uri?>();
        foreach (var member in new[] { "client_uri", "policy_uri", "tos_uri" })
        {
            if (!Text(body, member, out var value) || (value is not null && !Uri.TryCreate(value, UriKind.Absolute, out _)))
            {
                return Fail(InvalidClientMetadata, $"{member} must be an absolute URL.");
            }

            links[member] = value is null ? null : new Uri(value, UriKind.Absolute);
        }

        var scopes = new List<string> { Scopes.OpenId };
        scopes.AddRange((scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (grants.Contains(GrantTypes.RefreshToken))
        {
            scopes.Add(Scopes.OfflineAccess);
        }

        return (new ThirdPartyAppSpec
        {
            Name = name ?? DefaultName(redirectUris[0]),
            Kind = authMethod != NoSecret ? AppKind.Web : native ? AppKind.Native : AppKind.SinglePage,
            Homepage = links["client_uri"],
            PrivacyPolicy = links["policy_uri"],
            TermsOfService = links["tos_uri"],
            RedirectUris = redirectUris,
            PostLogoutRedirectUris = logoutUris,
            Scopes = [.. scopes.Distinct(StringComparer.Ordinal)],
        }, null, null);
    }

    /// <summary>The RFC 7591 error code for a broken rule of the spec.</summary>
    public static string ErrorFor(SpecProblem problem) =>
        problem.Field == nameof(ThirdPartyAppSpec.RedirectUris) ? InvalidRedirectUri : InvalidClientMetadata;

    /// <summary>The app's registered metadata, as the registration and configuration endpoints answer it.</summary>
    public static Dictionary<string, object> Write(string clientId, ThirdPartyAppSpec spec, DateTimeOffset createdAt)
    {
        var metadata = new Dictionary<string, object>
        {
            ["client_id"] = clientId,
            ["client_id_issued_at"] = createdAt.ToUnixTimeSeconds(),
            ["client_name"] = spec.Name,
            ["application_type"] = spec.Kind == AppKind.Native ? ApplicationTypes.Native : ApplicationTypes.Web,
            ["token_endpoint_auth_method"] = spec.IsPublic ? NoSecret : SecretBasic,
            ["redirect_uris"] = spec.RedirectUris.Select(uri => uri.OriginalString).ToArray(),
            ["post_logout_redirect_uris"] = spec.PostLogoutRedirectUris.Select(uri => uri.OriginalString).ToArray(),
            ["grant_types"] = spec.WantsRefreshTokens ? new[] { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken } : [GrantTypes.AuthorizationCode],
            ["response_types"] = new[] { ResponseTypes.Code },
            ["scope"] = string.Join(' ', spec.Scopes),
        };
        foreach (var (member, link) in new[] { ("client_uri", spec.Homepage), ("policy_uri", spec.PrivacyPolicy), ("tos_uri", spec.TermsOfService) })
        {
            if (link is not null)
            {
                metadata[member] = link.OriginalString;
            }
        }

        return metadata;
    }

    /// <summary>A name for the consent page when the app gave none: where it receives its codes.</summary>
    private static string DefaultName(Uri redirectUri) => redirectUri.Host is { Length: > 0 } host ? host : redirectUri.Scheme;

    private static (ThirdPartyAppSpec?, string?, string?) Fail(string error, string description) => (null, error, description);

    /// <summary>An optional string member: false when it is there but not a string.</summary>
    private static bool Text(JsonElement body, string name, out string? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var member))
        {
            return true;
        }

        value = member.ValueKind == JsonValueKind.String ? member.GetString() : null;
        return value is not null;
    }

    /// <summary>An optional array of non-empty strings, at most 20 of at most 2000 characters.</summary>
    private static bool Texts(JsonElement body, string name, out List<string> values)
    {
        values = [];
        if (!body.TryGetProperty(name, out var member))
        {
            return true;
        }

        if (member.ValueKind != JsonValueKind.Array || member.GetArrayLength() > 20)
        {
            return false;
        }

        foreach (var item in member.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 and <= ThirdPartyApp.MaxUriLength } text)
            {
                return false;
            }

            values.Add(text);
        }

        return true;
    }

    private static bool Uris(JsonElement body, string name, out List<Uri> uris)
    {
        uris = [];
        if (!Texts(body, name, out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            {
                return false;
            }

            uris.Add(uri);
        }

        return true;
    }
}
