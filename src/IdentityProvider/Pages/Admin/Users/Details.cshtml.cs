using System.ComponentModel.DataAnnotations;
using System.Globalization;
using IdentityProvider.Audit;
using IdentityProvider.Email;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Admin.Users;

/// <summary>One user: facts, apps with access, and the admin's actions on the account (each audited).</summary>
public sealed class DetailsModel(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    ConnectedApps connectedApps,
    SessionRevocation sessions,
    AccountMails mails,
    AuditLog audit,
    TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    [DataType(DataType.Date)]
    [Display(Name = "Locked until")]
    public DateTime? LockUntil { get; set; }

    [TempData]
    public string? Done { get; set; }

    public ApplicationUser Account { get; private set; } = null!;

    public IList<string> Roles { get; private set; } = [];

    public IReadOnlyList<string> OtherRoles { get; private set; } = [];

    public IReadOnlyList<ConnectedApps.ConnectedApp> Apps { get; private set; } = [];

    public IReadOnlyList<ConnectedApps.AppSession> Sessions { get; private set; } = [];

    public bool IsLocked { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await FindAsync() ? await ShowAsync() : NotFound();

    /// <summary>Locks until the given date (or indefinitely), revokes the user's grants and ends their sessions.</summary>
    public async Task<IActionResult> OnPostLockAsync()
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        // An unreadable date must not fall through to "indefinitely".
        if (!ModelState.IsValid)
        {
            return await ShowAsync();
        }

        DateTimeOffset until = LockUntil is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)) : DateTimeOffset.MaxValue;
        if (until <= time.GetUtcNow())
        {
            ModelState.AddModelError(nameof(LockUntil), "Choose a date in the future, or leave it empty to lock indefinitely.");
            return await ShowAsync();
        }

        var before = Describe(Account.LockoutEnd);
        await users.SetLockoutEnabledAsync(Account, true);
        await users.SetLockoutEndDateAsync(Account, until);
        // A locked account keeps nothing: apps lose their grants (and are told), provider sessions end.
        var (authorizations, tokens) = await sessions.RevokeAllAsync(Account);
        await users.UpdateSecurityStampAsync(Account);
        await audit.WriteAsync(AuditTypes.UserLocked, Account,
            details: $"LockoutEnd: {before} → {Describe(until)}; {authorizations} authorization(s) and {tokens} token(s) revoked");
        return Finish("The account is locked.");
    }

    /// <summary>Ends a lock and resets the failed sign-ins; for an account that is not locked, only the latter.</summary>
    public async Task<IActionResult> OnPostUnlockAsync()
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        var (lockedBefore, failuresBefore) = (Describe(Account.LockoutEnd), Account.AccessFailedCount);
        await users.SetLockoutEndDateAsync(Account, null);
        await users.ResetAccessFailedCountAsync(Account);
        await audit.WriteAsync(AuditTypes.UserUnlocked, Account, details: $"LockoutEnd: {lockedBefore} → (none); failed sign-ins: {failuresBefore} → 0");
        return Finish(IsLocked ? "The account is unlocked." : "The failed sign-ins are reset.");
    }

    /// <summary>Every app loses its grants (and is told, by back-channel logout), every provider session ends.</summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        var (authorizations, tokens) = await sessions.RevokeAllAsync(Account);
        await users.UpdateSecurityStampAsync(Account);
        var summary = $"{authorizations} authorization(s) and {tokens} token(s) revoked";
        await audit.WriteAsync(AuditTypes.UserSignedOutEverywhere, Account, details: summary);
        return Finish($"Signed out everywhere: {summary}.");
    }

    public async Task<IActionResult> OnPostRevokeAppAsync(string? applicationId)
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        if ((await connectedApps.ListAsync(Account, HttpContext.RequestAborted)).FirstOrDefault(app => app.ApplicationId == applicationId) is { } app)
        {
            await sessions.RevokeAppAsync(Account, app.ApplicationId, HttpContext.RequestAborted);
            await audit.WriteAsync(AuditTypes.UserAppRevoked, Account, details: $"{app.Name}: access revoked");
        }

        return Finish("The app's access is revoked.");
    }

    /// <summary>Ends one session (one device or browser of one app); the user's other sessions go on.</summary>
    public async Task<IActionResult> OnPostRevokeSessionAsync(string? tokenId)
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        await LoadAppsAsync();
        if (Sessions.FirstOrDefault(session => session.TokenId == tokenId) is { } session
            && await connectedApps.RevokeSessionAsync(Account, session.TokenId, HttpContext.RequestAborted))
        {
            await audit.WriteAsync(AuditTypes.UserSessionRevoked, Account,
                details: $"{session.AppName}: session started {Describe(session.Started)}, last refreshed {Describe(session.LastRefreshed)}");
        }

        return Finish("The session is revoked: its refresh token no longer works.");
    }

    public async Task<IActionResult> OnPostAddRoleAsync(string? role)
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        await LoadRolesAsync();
        if (role is null || !OtherRoles.Contains(role, StringComparer.Ordinal))
        {
            return Finish("Choose one of the existing roles.");
        }

        await users.AddToRoleAsync(Account, role);
        await audit.WriteAsync(AuditTypes.UserRoleAdded, Account, details: $"Roles: + {role}");
        return Finish($"Added to {role}. The user's next token shows it.");
    }

    public async Task<IActionResult> OnPostRemoveRoleAsync(string? role)
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        await LoadRolesAsync();
        if (role is not null && Roles.Contains(role, StringComparer.Ordinal))
        {
            await users.RemoveFromRoleAsync(Account, role);
            await audit.WriteAsync(AuditTypes.UserRoleRemoved, Account, details: $"Roles: − {role}");
        }

        return Finish($"Removed from {role}.");
    }

    public async Task<IActionResult> OnPostSendPasswordResetAsync()
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        await mails.SendPasswordResetLinkAsync(Account);
        await audit.WriteAsync(AuditTypes.PasswordResetRequested, Account, details: "sent by an admin");
        return Finish("A password-reset link is on its way to the user.");
    }

    public async Task<IActionResult> OnPostConfirmEmailAsync()
    {
        if (!await FindAsync())
        {
            return NotFound();
        }

        if (!Account.EmailConfirmed)
        {
            await users.ConfirmEmailAsync(Account, await users.GenerateEmailConfirmationTokenAsync(Account));
            await audit.WriteAsync(AuditTypes.EmailConfirmed, Account, details: "EmailConfirmed: no → yes (by an admin)");
        }

        return Finish("The email address is confirmed.");
    }

    private RedirectToPageResult Finish(string message)
    {
        Done = message;
        return RedirectToPage(new { Id });
    }

    /// <summary>The account itself; the handlers load only the rest they need.</summary>
    private async Task<bool> FindAsync()
    {
        if (Id is not { Length: > 0 and <= 64 } || await users.FindByIdAsync(Id) is not { } account)
        {
            return false;
        }

        Account = account;
        IsLocked = account.LockoutEnd > time.GetUtcNow();
        return true;
    }

    private async Task LoadRolesAsync()
    {
        Roles = await users.GetRolesAsync(Account);
        OtherRoles = [.. roles.Roles.Select(role => role.Name!).Where(name => name != null).AsEnumerable().Except(Roles).Order()];
    }

    private async Task LoadAppsAsync()
    {
        Apps = await connectedApps.ListAsync(Account, HttpContext.RequestAborted);
        Sessions = await connectedApps.SessionsAsync(Account, Apps, HttpContext.RequestAborted);
    }

    /// <summary>The whole page: after a GET, or to show a form's errors.</summary>
    private async Task<PageResult> ShowAsync()
    {
        await LoadRolesAsync();
        await LoadAppsAsync();
        return Page();
    }

    public static string Describe(DateTimeOffset? moment) =>
        moment is null ? AuditChanges.None : moment == DateTimeOffset.MaxValue ? "indefinitely" : moment.Value.ToString("u", CultureInfo.InvariantCulture);
}
