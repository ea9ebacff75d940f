using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace IdentityProvider.Users;

/// <summary>The cost of Argon2id (RFC 9106), the hash new and changed passwords are stored with. Parallelism is always 1.</summary>
public sealed class PasswordHashingOptions : IValidatableObject
{
    public const string SectionName = "PasswordHashing";

    /// <summary>OWASP's Password Storage Cheat Sheet: Argon2id settings of equal strength, memory in KiB.</summary>
    private static readonly (int MemoryKiB, int Iterations)[] OwaspMinimums = [(47_104, 1), (19_456, 2), (12_288, 3), (9_216, 4), (7_168, 5)];

    /// <summary>Memory one hash fills, in KiB: a guess on a GPU or ASIC needs this much too.</summary>
    [Range(7_168, 1_048_576)]
    public int MemoryKiB { get; set; } = 19_456;

    /// <summary>Passes over that memory.</summary>
    [Range(1, 16)]
    public int Iterations { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!OwaspMinimums.Any(minimum => MemoryKiB >= minimum.MemoryKiB && Iterations >= minimum.Iterations))
        {
            var settings = string.Join(", ", OwaspMinimums.Select(minimum => string.Create(CultureInfo.InvariantCulture, $"MemoryKiB={minimum.MemoryKiB} with Iterations={minimum.Iterations}")));
            yield return new ValidationResult(
                $"PasswordHashing: MemoryKiB={MemoryKiB} with Iterations={Iterations} is weaker than every Argon2id setting OWASP recommends " +
                $"({settings}). Raise one of them to at least one of those pairs.",
                [nameof(MemoryKiB), nameof(Iterations)]);
        }
    }
}
