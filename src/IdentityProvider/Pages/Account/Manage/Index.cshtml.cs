using System.ComponentModel.DataAnnotations;
using IdentityProvider.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Account.Manage;

[Authorize]
public sealed class IndexModel(UserManager<ApplicationUser> users) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string Email { get; private set; } = "";

    public sealed class InputModel
    {
        [Required, StringLength(200)]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        Input.DisplayName = user.DisplayName ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // The next token (or refresh) carries the new name: claims are rebuilt from the user.
        user.DisplayName = Input.DisplayName.Trim();
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result);

            return Page();
        }

        return RedirectToPage();
    }
}
