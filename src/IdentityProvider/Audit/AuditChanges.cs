namespace IdentityProvider.Audit;

/// <summary>
/// An audit entry's "before → after" text: only the fields that changed, each as <c>Name: before → after</c>.
/// Secrets never go in: callers pass the fields that may be shown.
/// </summary>
public static class AuditChanges
{
    public const string None = "(none)";

    public static string Describe(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        var changes = after
            .Where(field => Shown(before.GetValueOrDefault(field.Key)) != Shown(field.Value))
            .Select(field => $"{field.Key}: {Shown(before.GetValueOrDefault(field.Key))} → {Shown(field.Value)}")
            .ToList();
        return changes.Count == 0 ? "no change" : string.Join("; ", changes);
    }

    private static string Shown(string? value) => string.IsNullOrEmpty(value) ? None : value;
}
