using System.Security.Cryptography;
using System.Text;
using IdentityProvider.Audit;
using IdentityProvider.Clients;
using IdentityProvider.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityProvider.Developers;

/// <summary>A new app, with the one chance to see its secret and registration access token.</summary>
public sealed record RegisteredApp(string ClientId, string? Secret, string? RegistrationAccessToken, ReviewState Review, DateTimeOffset CreatedAt);

/// <summary>A registered third-party app: OpenIddict's application, the provider's row, and the spec they make up.</summary>
public sealed record ThirdPartyAppView(
    string ClientId, OpenIddictEntityFrameworkCoreApplication Application, OpenIddictApplicationDescriptor Descriptor, ThirdPartyApp Record)
{
    public ThirdPartyAppSpec Spec { get; } = ThirdPartyAppSpec.From(Descriptor, Record);
}

/// <summary>A registered app as the lists read it from the database.</summary>
public sealed record ThirdPartyAppRow(
    string ApplicationId, string ClientId, string? DisplayName, string? OwnerEmail, ReviewState Review, bool Verified, bool SelfRegistered, DateTimeOffset CreatedAt);

/// <summary>One line of a list of apps: the portal's and the admin console's.</summary>
public sealed record ThirdPartyAppSummary(
    string ClientId, string Name, string? OwnerEmail, ReviewState Review, bool Verified, bool SelfRegistered, DateTimeOffset CreatedAt, int Users);

/// <summary>
/// Registers, changes, lists and deletes third-party apps, and carries out the admins' review. What a developer
/// controls (name, links, redirect URIs, scopes) is theirs to change; what an admin set on the client in the console
/// (lifetimes, extra grants, back-channel logout) stays when they do. Every change is audited.
/// </summary>
public sealed class ThirdPartyApps(
    ApplicationDbContext db,
    ClientSecretManager applications,
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    ThirdPartyScopes scopes,
    ChangeNotifications changes,
    AuditLog audit,
    IOptions<DevelopersOptions> options,
    TimeProvider time)
{
    private const string RegistrationTokenPrefix = "rat_";

    /// <summary>
    /// The scopes the app may ask for: those open to third parties, and for a registered app those it holds already
    /// (an admin may have granted one that is not open, or closed one since), so that saving it takes nothing away.
    /// </summary>
    public async Task<IReadOnlySet<string>> AllowedScopesAsync(ThirdPartyAppView? existing, CancellationToken cancellationToken = default)
    {
        var allowed = new SortedSet<string>(await scopes.ListAsync(cancellationToken), StringComparer.Ordinal);
        allowed.UnionWith(existing?.Spec.Scopes ?? []);
        return allowed;
    }

    private async Task<IReadOnlyList<SpecProblem>> ProblemsAsync(ThirdPartyAppSpec spec, ThirdPartyAppView? existing, CancellationToken cancellationToken = default) =>
        [.. spec.Problems(await AllowedScopesAsync(existing, cancellationToken))];

    /// <summary>
    /// Registers the app under a new client id: owned by <paramref name="ownerId"/> (the portal), or holding a
    /// registration access token (RFC 7591, with the initial access token <paramref name="initialAccessTokenId"/>, which
    /// the audit entry names). Waits for approval when <c>Developers:RequireApproval</c> is on.
    /// </summary>
    public async Task<(RegisteredApp? App, IReadOnlyList<SpecProblem> Problems)> RegisterAsync(
        ThirdPartyAppSpec spec, string? ownerId, Guid? initialAccessTokenId = null, CancellationToken cancellationToken = default)
    {
        if (await ProblemsAsync(spec, existing: null, cancellationToken) is { Count: > 0 } problems)
        {
            return (null, problems);
        }

        if (ownerId is not null && await db.ThirdPartyApps.CountAsync(app => app.OwnerId == ownerId, cancellationToken) >= options.Value.MaxAppsPerDeveloper)
        {
            return (null, [new("", $"You have {options.Value.MaxAppsPerDeveloper} apps, as many as one developer may register: delete one you no longer need first.")]);
        }

        var clientId = "app-" + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(12));
        var secret = spec.IsPublic ? null : ClientSecrets.Generate();
        var registrationToken = ownerId is null ? RegistrationTokenPrefix + ClientSecrets.Generate() : null;
        var review = options.Value.RequireApproval ? ReviewState.Pending : ReviewState.Approved;
        var createdAt = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var application = await applications.CreateAsync(ClientRegistration.ToDescriptor(spec.ToDefinition(clientId, secret)), cancellationToken);
            db.ThirdPartyApps.Add(new ThirdPartyApp
            {
                ApplicationId = application.Id!,
                OwnerId = ownerId,
                Homepage = spec.Homepage?.OriginalString,
                PrivacyPolicy = spec.PrivacyPolicy?.OriginalString,
                TermsOfService = spec.TermsOfService?.OriginalString,
                Review = review,
                CreatedAt = createdAt,
                RegistrationAccessTokenHash = registrationToken is null ? null : RegistrationTokenHash.Of(registrationToken),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // After the commit, so that no instance caches the app as approved before its row exists.
        await changes.PublishAsync(db, ChangeTopics.Clients, cancellationToken);
        await audit.WriteAsync(AuditTypes.ThirdPartyAppRegistered, clientId: clientId,
            details: $"\"{spec.Name.Trim()}\" ({spec.Kind}) {(ownerId is null ? $"registered itself (RFC 7591) with initial access token {initialAccessTokenId}" : "registered in the developer portal")}; {review}; " +
                $"redirect URIs: {string.Join(' ', spec.RedirectUris)}; scopes: {string.Join(' ', spec.Scopes)}",
            cancellationToken: cancellationToken);
        return (new RegisteredApp(clientId, secret, registrationToken, review, createdAt), []);
    }

    /// <summary>The third-party app with this client id, or null for an unknown id or a client an admin registered.</summary>
    public async Task<ThirdPartyAppView?> FindAsync(string? clientId, CancellationToken cancellationToken = default)
    {
        if (clientId is not { Length: > 0 and <= ClientIdAttribute.MaximumLength }
            || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return null;
        }

        var record = await db.ThirdPartyApps.AsNoTracking().SingleOrDefaultAsync(app => app.ApplicationId == application.Id, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        return new ThirdPartyAppView(clientId, application, descriptor, record);
    }

    /// <summary>The app with this client id if <paramref name="ownerId"/> registered it in the portal, otherwise null.</summary>
    public async Task<ThirdPartyAppView?> FindOwnedAsync(string? clientId, string? ownerId, CancellationToken cancellationToken = default) =>
        ownerId is not null && await FindAsync(clientId, cancellationToken) is { } app && app.Record.OwnerId == ownerId ? app : null;

    /// <summary>Whether <paramref name="token"/> is the app's registration access token (RFC 7592).</summary>
    public static bool HoldsRegistrationToken(ThirdPartyAppView app, string? token) =>
        token is { Length: > 0 and <= RegistrationTokenHash.MaxTokenLength } && app.Record.RegistrationAccessTokenHash is { } stored
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(RegistrationTokenHash.Of(token)));

    /// <summary>Replaces what the developer controls; the kind of app cannot change (a secret cannot appear or vanish).</summary>
    public async Task<IReadOnlyList<SpecProblem>> UpdateAsync(ThirdPartyAppView app, ThirdPartyAppSpec spec, CancellationToken cancellationToken = default)
    {
        if (spec.Kind != app.Spec.Kind)
        {
            return [new(nameof(spec.Kind), "The kind of an app cannot change; register a new app instead.")];
        }

        if (await ProblemsAsync(spec, app, cancellationToken) is { Count: > 0 } problems)
        {
            return problems;
        }

        // The secret stays as it is: only the parts a developer controls are taken from the new definition.
        var wanted = ClientRegistration.ToDescriptor(spec.ToDefinition(app.ClientId, secret: null));
        var descriptor = app.Descriptor;
        descriptor.DisplayName = wanted.DisplayName;
        descriptor.RedirectUris.Clear();
        descriptor.RedirectUris.UnionWith(wanted.RedirectUris);
        descriptor.PostLogoutRedirectUris.Clear();
        descriptor.PostLogoutRedirectUris.UnionWith(wanted.PostLogoutRedirectUris);
        descriptor.Permissions.RemoveWhere(DeveloperControlled);
        descriptor.Permissions.UnionWith(wanted.Permissions.Where(DeveloperControlled));

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await applications.UpdateAsync(app.Application, descriptor, cancellationToken);
            await db.ThirdPartyApps.Where(row => row.ApplicationId == app.Record.ApplicationId).ExecuteUpdateAsync(row => row
                .SetProperty(r => r.Homepage, spec.Homepage == null ? null : spec.Homepage.OriginalString)
                .SetProperty(r => r.PrivacyPolicy, spec.PrivacyPolicy == null ? null : spec.PrivacyPolicy.OriginalString)
                .SetProperty(r => r.TermsOfService, spec.TermsOfService == null ? null : spec.TermsOfService.OriginalString), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await audit.WriteAsync(AuditTypes.ThirdPartyAppUpdated, clientId: app.ClientId,
            details: $"\"{spec.Name.Trim()}\"; redirect URIs: {string.Join(' ', spec.RedirectUris)}; scopes: {string.Join(' ', spec.Scopes)}",
            cancellationToken: cancellationToken);
        return [];
    }

    private static bool DeveloperControlled(string permission) =>
        permission.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal) || permission == Permissions.GrantTypes.RefreshToken;

    /// <summary>Deletes the app with every grant it holds; nothing at all when another request changed it meanwhile.</summary>
    public async Task DeleteAsync(ThirdPartyAppView app, CancellationToken cancellationToken = default)
    {
        long revoked;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            revoked = await RevokeGrantsAsync(app, cancellationToken);
            await applications.DeleteAsync(app.Application, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await audit.WriteAsync(AuditTypes.ClientDeleted, clientId: app.ClientId,
            details: $"third-party app \"{app.Spec.Name}\" deleted by {(app.Record.OwnerId is null ? "itself (RFC 7592)" : "its developer or an admin")}; {revoked} grant(s) revoked",
            cancellationToken: cancellationToken);
    }

    /// <summary>Approves or suspends the app; suspending revokes every token and authorization it holds.</summary>
    public async Task SetReviewAsync(ThirdPartyAppView app, ReviewState review, CancellationToken cancellationToken = default)
    {
        await db.ThirdPartyApps.Where(row => row.ApplicationId == app.Record.ApplicationId)
            .ExecuteUpdateAsync(row => row.SetProperty(r => r.Review, review), cancellationToken);
        var revoked = review == ReviewState.Suspended ? await RevokeGrantsAsync(app, cancellationToken) : 0;
        await changes.PublishAsync(db, ChangeTopics.Clients, cancellationToken);
        await audit.WriteAsync(review == ReviewState.Suspended ? AuditTypes.ThirdPartyAppSuspended : AuditTypes.ThirdPartyAppApproved, clientId: app.ClientId,
            details: review == ReviewState.Suspended ? $"{revoked} grant(s) revoked" : $"was {app.Record.Review}", cancellationToken: cancellationToken);
    }

    public async Task SetVerifiedAsync(ThirdPartyAppView app, bool verified, CancellationToken cancellationToken = default)
    {
        await db.ThirdPartyApps.Where(row => row.ApplicationId == app.Record.ApplicationId)
            .ExecuteUpdateAsync(row => row.SetProperty(r => r.Verified, verified), cancellationToken);
        await audit.WriteAsync(AuditTypes.ThirdPartyAppVerified, clientId: app.ClientId,
            details: verified ? "marked verified" : "no longer marked verified", cancellationToken: cancellationToken);
    }

    /// <summary>Every third-party app, or those in one review state, newest first: for the console to page.</summary>
    public IQueryable<ThirdPartyAppRow> Listed(ReviewState? review) => Query(ownerId: null, review);

    /// <summary>The apps one developer registered in the portal, newest first (they may have <c>MaxAppsPerDeveloper</c>).</summary>
    public async Task<IReadOnlyList<ThirdPartyAppSummary>> ListOwnedAsync(string ownerId, CancellationToken cancellationToken = default) =>
        await SummarizeAsync(await Query(ownerId, review: null).ToListAsync(cancellationToken), cancellationToken);

    /// <summary>The rows with how many users let each app in.</summary>
    public async Task<IReadOnlyList<ThirdPartyAppSummary>> SummarizeAsync(IReadOnlyList<ThirdPartyAppRow> rows, CancellationToken cancellationToken = default)
    {
        var users = await UsersAsync([.. rows.Select(row => row.ApplicationId)], cancellationToken);
        return [.. rows.Select(row => new ThirdPartyAppSummary(
            row.ClientId, row.DisplayName ?? row.ClientId, row.OwnerEmail, row.Review, row.Verified, row.SelfRegistered, row.CreatedAt,
            users.GetValueOrDefault(row.ApplicationId)))];
    }

    private IQueryable<ThirdPartyAppRow> Query(string? ownerId, ReviewState? review) =>
        from app in db.ThirdPartyApps.AsNoTracking()
        join application in db.Set<OpenIddictEntityFrameworkCoreApplication>() on app.ApplicationId equals application.Id
        join owner in db.Users on app.OwnerId equals owner.Id into owners
        from owner in owners.DefaultIfEmpty()
        where (ownerId == null || app.OwnerId == ownerId) && (review == null || app.Review == review)
        orderby app.CreatedAt descending, app.ApplicationId
        select new ThirdPartyAppRow(
            app.ApplicationId, application.ClientId!, application.DisplayName, owner == null ? null : owner.Email,
            app.Review, app.Verified, app.RegistrationAccessTokenHash != null, app.CreatedAt);

    /// <summary>How many users have let the app in (and not taken it back).</summary>
    public async Task<int> UsersAsync(ThirdPartyAppView app, CancellationToken cancellationToken = default) =>
        (await UsersAsync([app.Record.ApplicationId], cancellationToken)).GetValueOrDefault(app.Record.ApplicationId);

    /// <summary>Per application, the users holding a valid permanent authorization: those who consented.</summary>
    private async Task<Dictionary<string, int>> UsersAsync(List<string> applicationIds, CancellationToken cancellationToken) =>
        await db.Set<OpenIddictEntityFrameworkCoreAuthorization>()
            .Where(grant => applicationIds.Contains(grant.Application!.Id!) && grant.Status == Statuses.Valid && grant.Type == AuthorizationTypes.Permanent)
            .GroupBy(grant => grant.Application!.Id!)
            .Select(group => new { ApplicationId = group.Key, Users = group.Select(grant => grant.Subject).Distinct().Count() })
            .ToDictionaryAsync(count => count.ApplicationId, count => count.Users, cancellationToken);

    private async Task<long> RevokeGrantsAsync(ThirdPartyAppView app, CancellationToken cancellationToken) =>
        await tokens.RevokeByApplicationIdAsync(app.Application.Id!, cancellationToken)
        + await authorizations.RevokeByApplicationIdAsync(app.Application.Id!, cancellationToken);
}
