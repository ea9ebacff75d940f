using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Developers;

/// <summary>Who may register third-party apps, and whether they wait for an admin.</summary>
public sealed class DevelopersOptions
{
    public const string SectionName = "Developers";

    /// <summary>The role that opens the developer portal when <see cref="OpenRegistration"/> is off.</summary>
    public const string Role = "developer";

    /// <summary>Every signed-in user with a confirmed email may register apps, not only holders of the developer role.</summary>
    public bool OpenRegistration { get; set; }

    /// <summary>New third-party apps sign nobody in until an admin approves them.</summary>
    public bool RequireApproval { get; set; }

    /// <summary>How many apps one developer may register in the portal.</summary>
    [Range(1, 10_000)]
    public int MaxAppsPerDeveloper { get; set; } = 25;
}
