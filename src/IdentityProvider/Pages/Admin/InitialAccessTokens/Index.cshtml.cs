using System.ComponentModel.DataAnnotations;
using IdentityProvider.Developers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityProvider.Pages.Admin.InitialAccessTokens;

/// <summary>Issue, list and revoke the tokens that let apps register themselves; a new token is shown once, here.</summary>
public sealed class IndexModel(Developers.InitialAccessTokens tokens, TimeProvider time) : PageModel
{
    public IReadOnlyList<InitialAccessToken> Tokens { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>The token just issued: on this response only.</summary>
    public string? IssuedToken { get; private set; }

    [BindProperty]
    [Required, StringLength(Developers.InitialAccessTokens.MaxNameLength)]
    [Display(Name = "Given to")]
    public string Name { get; set; } = "";

    [BindProperty]
    [Range(1, 365)]
    [Display(Name = "Valid for (days)")]
    public int ValidForDays { get; set; } = 7;

    [BindProperty]
    [Range(1, Developers.InitialAccessTokens.MaxUsesLimit)]
    [Display(Name = "Registrations")]
    public int MaxUses { get; set; } = 1;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostIssueAsync()
    {
        if (ModelState.IsValid)
        {
            IssuedToken = (await tokens.IssueAsync(Name, TimeSpan.FromDays(ValidForDays), MaxUses, HttpContext.RequestAborted)).Token;
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        await tokens.RevokeAsync(id, HttpContext.RequestAborted);
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Now = time.GetUtcNow();
        Tokens = await tokens.ListAsync(HttpContext.RequestAborted);
    }
}
