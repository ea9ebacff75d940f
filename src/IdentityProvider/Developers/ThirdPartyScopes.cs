using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Developers;

/// <summary>
/// The scopes a third-party app may ask users for: the OpenID Connect ones about the user (never <c>roles</c>) and
/// the API scopes an admin opened to third parties (a scope property set in the console or by bootstrap). Roles
/// describe a person's place in the company, never a third party's business, even if a stored scope says otherwise.
/// </summary>
public sealed class ThirdPartyScopes(IOpenIddictScopeManager scopes)
{
    public const string OpenProperty = "open_to_third_parties";

    private static readonly string[] Standard = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess];

    public static bool IsOpen(OpenIddictScopeDescriptor scope) =>
        scope.Properties.TryGetValue(OpenProperty, out var open) && open.ValueKind == JsonValueKind.True;

    public static void SetOpen(OpenIddictScopeDescriptor scope, bool open)
    {
        if (open)
        {
            scope.Properties[OpenProperty] = JsonSerializer.SerializeToElement(true);
        }
        else
        {
            scope.Properties.Remove(OpenProperty);
        }
    }

    public async Task<IReadOnlySet<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        var open = new SortedSet<string>(Standard, StringComparer.Ordinal);
        await foreach (var scope in scopes.ListAsync(count: null, offset: null, cancellationToken))
        {
            var descriptor = new OpenIddictScopeDescriptor();
            await scopes.PopulateAsync(descriptor, scope, cancellationToken);
            if (IsOpen(descriptor) && descriptor.Name is { } name && name != Scopes.Roles)
            {
                open.Add(name);
            }
        }

        return open;
    }
}
