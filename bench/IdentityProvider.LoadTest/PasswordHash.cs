using System.CommandLine.Parsing;
using System.Globalization;
using System.Security.Cryptography;

namespace IdentityProvider.LoadTest;

/// <summary>
/// The password hash a target verifies on each password grant, as given on the command line: "argon2id" (our provider's
/// default, m=19456,t=2), "argon2id:m=47104,t=1", "pbkdf2" (ASP.NET Core Identity's, PBKDF2-HMAC-SHA512 at 100 000
/// iterations) or "pbkdf2:i=600000".
/// </summary>
internal sealed record PasswordHash(string Algorithm, int MemoryKiB, int Iterations)
{
    public static readonly PasswordHash Argon2id = new("argon2id", 19_456, 2);
    public static readonly PasswordHash Pbkdf2 = new("pbkdf2", 0, 100_000);

    public void Compute(byte[] password, byte[] salt)
    {
        if (Algorithm == Argon2id.Algorithm)
        {
            Geralt.Argon2id.DeriveKey(stackalloc byte[32], password, salt, Iterations, MemoryKiB * 1024);
        }
        else
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, 32);
        }
    }

    public override string ToString() => Algorithm == Argon2id.Algorithm
        ? string.Create(CultureInfo.InvariantCulture, $"Argon2id m={MemoryKiB} KiB, t={Iterations}, p=1")
        : string.Create(CultureInfo.InvariantCulture, $"PBKDF2-HMAC-SHA512 x{Iterations}");

    public static PasswordHash? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Trim();
        var (name, parameters) = text.Split(':', 2) is [var head, var tail] ? (head, tail) : (text, "");
        var (defaults, ranges) = name switch
        {
            // The provider's own limits for Argon2id (PasswordHashing); any count a PBKDF2 user would choose.
            "argon2id" => (Argon2id, new Dictionary<string, (int Min, int Max)> { ["m"] = (7_168, 1_048_576), ["t"] = (1, 16) }),
            "pbkdf2" => (Pbkdf2, new Dictionary<string, (int Min, int Max)> { ["i"] = (1_000, 10_000_000) }),
            _ => (null, []),
        };
        var pairs = parameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pair => pair.Split('=', 2)).ToList();
        var values = new Dictionary<string, int>();
        foreach (var pair in pairs)
        {
            if (pair is [var key, var value] && ranges.TryGetValue(key, out var range) && !values.ContainsKey(key) &&
                int.TryParse(value, CultureInfo.InvariantCulture, out var number) && number >= range.Min && number <= range.Max)
            {
                values[key] = number;
            }
            else
            {
                defaults = null;
            }
        }

        if (defaults is null)
        {
            result.AddError($"'{text}' is not a password hash such as argon2id, argon2id:m=19456,t=2 (m 7168-1048576, t 1-16), pbkdf2 or pbkdf2:i=100000.");
            return null;
        }

        return defaults with
        {
            MemoryKiB = values.GetValueOrDefault("m", defaults.MemoryKiB),
            Iterations = values.GetValueOrDefault(defaults == Argon2id ? "t" : "i", defaults.Iterations),
        };
    }
}
