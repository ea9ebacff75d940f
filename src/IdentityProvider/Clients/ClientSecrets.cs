using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityProvider.Clients;

/// <summary>Client secrets made by the provider: 256 random bits. OpenIddict stores only a hash of them.</summary>
public static class ClientSecrets
{
    public static string Generate() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
}
