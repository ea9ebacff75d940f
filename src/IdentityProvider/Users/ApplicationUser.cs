using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace IdentityProvider.Users;

public sealed class ApplicationUser : IdentityUser
{
    [MaxLength(200)]
    public string? DisplayName { get; set; }
}
