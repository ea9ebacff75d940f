using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Data;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply pending EF Core migrations when the server starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// The SQLite file used when no <c>ConnectionStrings:Postgres</c> is set; relative paths are
    /// resolved against the application's folder.
    /// </summary>
    [Required]
    public string EmbeddedPath { get; set; } = Path.Combine("data", "identityprovider.db");
}
