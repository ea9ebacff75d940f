using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace IdentityProvider.Pages.Admin.Users;

/// <summary>Puts Identity's refusals next to the field they are about, in the admin forms' words.</summary>
internal static class IdentityErrors
{
    public static void AddTo(ModelStateDictionary modelState, IdentityResult result)
    {
        foreach (var error in result.Errors)
        {
            var (field, message) = error.Code switch
            {
                nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) =>
                    ("Input.Email", "Another account already uses this email address."),
                _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => ("Input.Password", error.Description),
                _ when error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) =>
                    ("Input.Email", error.Description),
                _ => (string.Empty, error.Description),
            };
            modelState.AddModelError(field, message);
        }
    }
}
