using System.ComponentModel.DataAnnotations;
using IdentityProvider.Clients;

namespace IdentityProvider.Bootstrap;

/// <summary>
/// Scopes and clients created or updated on every start, and users created when missing. What admins and users
/// change afterwards (passwords, client secrets, roles, confirmation) stays, unless <see cref="ResetExisting"/>.
/// </summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Bootstrap";

    /// <summary>
    /// Also apply the configured passwords, client secrets, roles and confirmation to users and clients that
    /// exist already: for one start after changing a leaked value in the configuration, not to leave on.
    /// </summary>
    public bool ResetExisting { get; set; }

    public List<ClientDefinition> Clients { get; init; } = [];

    public List<ScopeDefinition> Scopes { get; init; } = [];

    public List<UserDefinition> Users { get; init; } = [];
}

public sealed class ScopeDefinition
{
    [ScopeName]
    public string Name { get; set; } = "";

    public string? DisplayName { get; set; }

    public List<string> Resources { get; init; } = [];

    /// <summary>Third-party apps may ask users for it (developer portal, dynamic registration).</summary>
    public bool OpenToThirdParties { get; set; }
}

public sealed class UserDefinition
{
    [Required, EmailAddress]
    public string Email { get; set; } = "";

    public string? Password { get; set; }

    public string? DisplayName { get; set; }

    public List<string> Roles { get; init; } = [];

    public bool EmailConfirmed { get; set; } = true;
}
