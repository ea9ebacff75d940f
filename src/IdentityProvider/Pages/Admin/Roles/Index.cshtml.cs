using System.ComponentModel.DataAnnotations;
using IdentityProvider.Audit;
using IdentityProvider.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IdentityProvider.Pages.Admin.Roles;

public sealed class IndexModel(ApplicationDbContext db, RoleManager<IdentityRole> roles, AuditLog audit) : PageModel
{
    public sealed record RoleRow(string Id, string Name, int Members);

    public IReadOnlyList<RoleRow> Rows { get; private set; } = [];

    [BindProperty]
    [Required, StringLength(RoleNameAttribute.MaximumLength), RoleName]
    [Display(Name = "New role")]
    public string NewRole { get; set; } = "";

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            var result = await roles.CreateAsync(new IdentityRole(NewRole));
            if (result.Succeeded)
            {
                await audit.WriteAsync(AuditTypes.RoleCreated, details: $"Role: {NewRole}");
                return RedirectToPage();
            }

            ModelState.AddModelError(nameof(NewRole), RoleNameAttribute.Problem(result));
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync() =>
        Rows = await db.Roles.OrderBy(r => r.Name)
            .Select(r => new RoleRow(r.Id, r.Name!, db.UserRoles.Count(ur => ur.RoleId == r.Id)))
            .ToListAsync(HttpContext.RequestAborted);
}
