using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityProvider.Users;

/// <summary>Identity's tokens travel base64url-encoded in links, as Identity UI does it.</summary>
public static class LinkTokenEncoding
{
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    public static string? Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded) || encoded.Length > 4096)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
