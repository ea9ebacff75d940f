using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Pages.Admin.Roles;

/// <summary>What a role may be called, and Identity's refusals in the role forms' words.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RoleNameAttribute() : RegularExpressionAttribute("^[A-Za-z0-9._-]+$")
{
    public const int MaximumLength = 64;

    public override string FormatErrorMessage(string name) => "Use letters, digits and . _ - only.";

    public static string Problem(IdentityResult result) =>
        result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateRoleName))
            ? "A role with this name exists already."
            : string.Join(" ", result.Errors.Select(e => e.Description));
}
