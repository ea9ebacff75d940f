using System.Collections.Immutable;
using IdentityProvider.Audit;
using IdentityProvider.Connect;
using IdentityProvider.Developers;
using IdentityProvider.Security;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Pages.Account;

/// <summary>
/// Asks the user whether a third-party app may have what it requested. The authorization request
/// travels along unchanged (<see cref="AuthorizationRequest"/>); "Allow" records a permanent authorization and
/// sends the browser back to the authorization endpoint, which checks the whole request again.
/// </summary>
[Authorize]
public sealed class ConsentModel(
    UserManager<ApplicationUser> users,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictScopeManager scopeManager,
    ThirdPartyApps thirdPartyApps,
    AuditLog audit,
    TimeProvider time) : PageModel, IFormContinuesToClient
{
    private static readonly Dictionary<string, string> StandardScopes = new(StringComparer.Ordinal)
    {
        [Scopes.OpenId] = "Know who you are (your account's identifier)",
        [Scopes.Profile] = "See your name",
        [Scopes.Email] = "See your email address",
        [Scopes.Roles] = "See your roles",
        [Scopes.OfflineAccess] = "Stay signed in when you are not using it",
    };

    /// <summary>The authorization request's query string, without the leading '?'.</summary>
    [BindProperty]
    public string? AuthorizationRequest { get; set; }

    string? IFormContinuesToClient.Continuation => ConnectPaths.Authorize + "?" + AuthorizationRequest;

    public string ApplicationName { get; private set; } = "";

    public IReadOnlyList<string> ScopeDescriptions { get; private set; } = [];

    /// <summary>Set for an app a developer registered: the page marks it, says whether it was verified, and links its policies.</summary>
    public ThirdPartyAppView? ThirdParty { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        AuthorizationRequest = HttpContext.Request.QueryString.Value?.TrimStart('?') ?? "";
        return await LoadAsync() is null ? NoticeModel.Show(NoticeKind.InvalidLink) : Page();
    }

    public async Task<IActionResult> OnPostAllowAsync()
    {
        if (await LoadAsync() is not { } requested || await users.GetUserAsync(User) is not { } user)
        {
            return NoticeModel.Show(NoticeKind.InvalidLink);
        }

        var consent = new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = requested.ApplicationId,
            Subject = user.Id,
            Status = Statuses.Valid,
            Type = AuthorizationTypes.Permanent,
            CreationDate = time.GetUtcNow(),
        };
        consent.Scopes.UnionWith(requested.Scopes);
        await authorizations.CreateAsync(consent);
        await audit.WriteAsync(AuditTypes.ConsentGranted, user, requested.ClientId, "Scopes: " + string.Join(' ', requested.Scopes));

        // Asked and answered: without prompt=consent the endpoint now finds the authorization.
        var parameters = QueryHelpers.ParseQuery(AuthorizationRequest);
        if (parameters.TryGetValue(Parameters.Prompt, out var prompt))
        {
            var remaining = prompt.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(value => value != PromptValues.Consent);
            parameters[Parameters.Prompt] = string.Join(' ', remaining);
        }

        return Redirect(ConnectPaths.Authorize + QueryString.Create(parameters.Where(parameter => !StringValues.IsNullOrEmpty(parameter.Value))));
    }

    public IActionResult OnPostDeny() =>
        Redirect(ConnectPaths.Authorize + QueryString.Create(
            QueryHelpers.ParseQuery(AuthorizationRequest).Append(new(AuthorizationEndpoint.ConsentDeniedParameter, "denied"))));

    private sealed record RequestedAccess(string ApplicationId, string ClientId, ImmutableArray<string> Scopes);

    /// <summary>The app and the scopes it may have out of those requested; null for a request no app could make.</summary>
    private async Task<RequestedAccess?> LoadAsync()
    {
        var parameters = QueryHelpers.ParseQuery(AuthorizationRequest);
        var clientId = parameters.GetValueOrDefault(Parameters.ClientId).ToString();
        var application = clientId is { Length: > 0 and <= 100 } ? await applications.FindByClientIdAsync(clientId) : null;
        if (application is null || await applications.GetIdAsync(application) is not { } applicationId)
        {
            return null;
        }

        var scopes = new List<string>();
        var descriptions = new List<string>();
        foreach (var scope in parameters.GetValueOrDefault(Parameters.Scope).ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct())
        {
            if (scope is Scopes.OpenId or Scopes.OfflineAccess || await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope))
            {
                scopes.Add(scope);
                descriptions.Add(StandardScopes.GetValueOrDefault(scope) ?? await DescribeAsync(scope));
            }
        }

        ApplicationName = await applications.GetDisplayNameAsync(application) ?? clientId;
        ThirdParty = await thirdPartyApps.FindAsync(clientId);
        ScopeDescriptions = descriptions;
        return new RequestedAccess(applicationId, clientId, [.. scopes]);
    }

    private async Task<string> DescribeAsync(string scope) =>
        await scopeManager.FindByNameAsync(scope) is { } entry
            ? await scopeManager.GetDescriptionAsync(entry) ?? await scopeManager.GetDisplayNameAsync(entry) ?? scope
            : scope;
}
