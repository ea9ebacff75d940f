using System.Security.Cryptography;
using System.Text;

namespace IdentityProvider.Developers;

/// <summary>
/// What the provider keeps of the tokens it hands out for registration (initial access tokens, registration access
/// tokens): their SHA-256, enough for 256 random bits.
/// </summary>
internal static class RegistrationTokenHash
{
    /// <summary>Ours are far shorter: a longer one is refused before it is hashed.</summary>
    public const int MaxTokenLength = 100;

    public static string Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
