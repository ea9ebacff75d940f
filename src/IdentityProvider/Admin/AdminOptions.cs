using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Admin;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The role whose members may use the admin console.</summary>
    public const string Role = "admin";

    /// <summary>An admin whose password was entered longer ago than this must sign in again to use the console.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan RecentSignIn { get; set; } = TimeSpan.FromMinutes(15);

    [Range(10, 200)]
    public int PageSize { get; set; } = 50;
}
