using System.ComponentModel.DataAnnotations;
using IdentityProvider.Clients;

namespace IdentityProvider.Bootstrap;

/// <summary>Clients, scopes and users created or updated on every start.</summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Bootstrap";

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
