using System.ComponentModel.DataAnnotations;
using IdentityProvider.Admin;
using IdentityProvider.Audit;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Admin.Roles;

/// <summary>A role's members; rename; delete, which asks for confirmation while the role still has members.</summary>
public sealed class DetailsModel(RoleManager<IdentityRole> roles, UserManager<ApplicationUser> users, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    [Required, StringLength(RoleNameAttribute.MaximumLength), RoleName]
    [Display(Name = "Name")]
    public string Name { get; set; } = "";

    [BindProperty]
    public bool ConfirmDelete { get; set; }

    public IdentityRole Role { get; private set; } = null!;

    public IList<ApplicationUser> Members { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        Name = Role.Name!;
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var before = Role.Name;
        var result = await roles.SetRoleNameAsync(Role, Name);
        result = result.Succeeded ? await roles.UpdateAsync(Role) : result;
        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(Name), RoleNameAttribute.Problem(result));
            return Page();
        }

        await audit.WriteAsync(AuditTypes.RoleRenamed, details: $"Role: {before} → {Name}");
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        ModelState.Clear();
        if (Members.Count > 0 && !ConfirmDelete)
        {
            ModelState.AddModelError(nameof(ConfirmDelete), $"The role still has {Members.Count} member(s). Tick the box to delete it anyway.");
            Name = Role.Name!;
            return Page();
        }

        if (Role.Name == AdminOptions.Role && Members.Any(member => member.Id == users.GetUserId(User)))
        {
            ModelState.AddModelError(nameof(ConfirmDelete), "You cannot delete the admin role you are using.");
            Name = Role.Name!;
            return Page();
        }

        await roles.DeleteAsync(Role);
        await audit.WriteAsync(AuditTypes.RoleDeleted, details: $"Role: {Role.Name}; {Members.Count} member(s) removed from it");
        return RedirectToPage("Index");
    }

    private async Task<bool> LoadAsync()
    {
        if (Id is not { Length: > 0 and <= 64 } || await roles.FindByIdAsync(Id) is not { } role)
        {
            return false;
        }

        Role = role;
        Members = await users.GetUsersInRoleAsync(role.Name!);
        return true;
    }
}
