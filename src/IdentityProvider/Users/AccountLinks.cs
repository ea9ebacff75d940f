using IdentityProvider.Connect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace IdentityProvider.Users;

/// <summary>
/// Builds the links put in mails from the configured public address (<c>Idp:Issuer</c>), never
/// from the request's Host header, which an attacker controls (host-header poisoning of reset links).
/// </summary>
public sealed class AccountLinks(IOptions<IdpOptions> idp)
{
    public string Build(string path, IDictionary<string, string?> query)
    {
        var issuer = idp.Value.Issuer
            ?? throw new InvalidOperationException("Idp:Issuer must be set for the provider to send account links.");
        return QueryHelpers.AddQueryString(new Uri(issuer, path.TrimStart('/')).ToString(), query);
    }
}
