using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace IdentityProvider.Pages;

/// <summary>
/// The one way every form puts Identity's refusals into ModelState: next to the field they are about,
/// in the forms' words.
/// </summary>
internal static class IdentityErrors
{
    public const string InvalidLink = "This link is not valid any more: it was already used, has expired or was changed. Ask for a new one.";

    /// <param name="modelState">The form's ModelState.</param>
    /// <param name="result">What Identity answered.</param>
    /// <param name="passwordField">The field a new password was typed into.</param>
    public static void AddTo(ModelStateDictionary modelState, IdentityResult result, string passwordField = "Input.Password")
    {
        foreach (var error in result.Errors)
        {
            var (field, message) = error.Code switch
            {
                nameof(IdentityErrorDescriber.InvalidToken) => (string.Empty, InvalidLink),
                nameof(IdentityErrorDescriber.PasswordMismatch) => ("Input.OldPassword", "The current password is not correct."),
                nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) =>
                    ("Input.Email", "Another account already uses this email address."),
                _ when error.Code.Contains("Password", StringComparison.Ordinal) => (passwordField, error.Description),
                _ when error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) =>
                    ("Input.Email", error.Description),
                _ => (string.Empty, error.Description),
            };
            modelState.AddModelError(field, message);
        }
    }
}
