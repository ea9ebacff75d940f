using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Audit;

public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Audit entries older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);
}
