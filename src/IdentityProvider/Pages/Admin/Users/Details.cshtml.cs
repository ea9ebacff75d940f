using System.ComponentModel.DataAnnotations;
using System.Globalization;
using IdentityProvider.Admin;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Admin.Users;

public sealed class DetailsModel(UserManager<ApplicationUser> users, AuditLog audit, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    [DataType(DataType.Date)]
    [Display(Name = "Locked until")]
    public DateTime? LockUntil { get; set; }

    public ApplicationUser Account { get; private set; } = null!;

    public IList<string> Roles { get; private set; } = [];

    public bool IsLocked { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    /// <summary>Locks until the given date (or indefinitely) and ends the user's sessions within a minute.</summary>
    public async Task<IActionResult> OnPostLockAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        DateTimeOffset until = LockUntil is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)) : DateTimeOffset.MaxValue;
        if (until <= now)
        {
            ModelState.AddModelError(nameof(LockUntil), "Choose a date in the future, or leave it empty to lock indefinitely.");
            return Page();
        }

        var before = Describe(Account.LockoutEnd);
        await users.SetLockoutEnabledAsync(Account, true);
        await users.SetLockoutEndDateAsync(Account, until);
        // A new security stamp ends the provider sessions and the refresh tokens of the account.
        await users.UpdateSecurityStampAsync(Account);
        await audit.WriteAsync(AuditTypes.UserLocked, Account, details: $"LockoutEnd: {before} → {Describe(until)}");
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostUnlockAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var before = Describe(Account.LockoutEnd);
        await users.SetLockoutEndDateAsync(Account, null);
        await users.ResetAccessFailedCountAsync(Account);
        await audit.WriteAsync(AuditTypes.UserUnlocked, Account, details: $"LockoutEnd: {before} → (none); failed attempts reset");
        return RedirectToPage(new { Id });
    }

    private async Task<bool> LoadAsync()
    {
        if (Id is not { Length: > 0 and <= 64 } || await users.FindByIdAsync(Id) is not { } account)
        {
            return false;
        }

        Account = account;
        Roles = await users.GetRolesAsync(account);
        IsLocked = account.LockoutEnd > time.GetUtcNow();
        return true;
    }

    public static string Describe(DateTimeOffset? lockoutEnd) =>
        lockoutEnd is null ? "(none)" : lockoutEnd == DateTimeOffset.MaxValue ? "indefinitely" : lockoutEnd.Value.ToString("u", CultureInfo.InvariantCulture);
}
