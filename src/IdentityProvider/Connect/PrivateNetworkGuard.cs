using System.Net;
using System.Net.Sockets;

namespace IdentityProvider.Connect;

/// <summary>
/// Back-channel logout POSTs go wherever a client's registration says. So that a registration cannot aim them
/// at the provider's own network (loopback, private, link-local and cloud-metadata addresses), the connection
/// is made only to public addresses, checked after DNS, so a public name that resolves inward is refused too.
/// Outside Development a client may only reach a private address when an admin allowed it for that client.
/// </summary>
internal static class PrivateNetworkGuard
{
    /// <summary>The connection attempt refused: not retried, since the address will not change by itself.</summary>
    public sealed class RefusedException(string host) : IOException(
        $"'{host}' resolves only to loopback, private or link-local addresses, and this client may not send back-channel logout notices into a private network.");

    public static SocketsHttpHandler PublicAddressesOnly() => new()
    {
        AllowAutoRedirect = false,
        // Through a proxy the check would see only the proxy's address, not the app's.
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = addresses.Where(address => !IsPrivate(address)).ToArray();
            if (allowed.Length == 0)
            {
                throw new RefusedException(host);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>
    /// Loopback, private (RFC 1918, RFC 4193), link-local (cloud metadata lives there), shared (RFC 6598), IETF
    /// protocol and benchmarking ranges, unspecified or multicast; an IPv6 address that carries an IPv4 one
    /// (mapped, compatible, NAT64, 6to4) by the IPv4 address it carries; Teredo always.
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return EmbeddedIPv4(bytes) is { } inner
                ? IsPrivate(inner)
                : IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal ||
                  address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6Teredo || (bytes[0] & 0xFE) == 0xFC;
        }

        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => true,
            100 => v4[1] is >= 64 and <= 127,
            169 => v4[1] == 254,
            172 => v4[1] is >= 16 and <= 31,
            192 => v4[1] == 168 || (v4[1] == 0 && v4[2] == 0),
            198 => v4[1] is 18 or 19,
            >= 224 => true,
            _ => false,
        };
    }

    private static IPAddress? EmbeddedIPv4(byte[] v6)
    {
        // ::a.b.c.d (compatible, and :: and ::1 with it), ::ffff:a.b.c.d (mapped), 64:ff9b::a.b.c.d (NAT64).
        var compatible = v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        var mapped = v6.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0 && v6[10] == 0xFF && v6[11] == 0xFF;
        var nat64 = v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B;
        if (compatible || mapped || nat64)
        {
            return new IPAddress(v6.AsSpan(12, 4));
        }

        // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
        return v6[0] == 0x20 && v6[1] == 0x02 ? new IPAddress(v6.AsSpan(2, 4)) : null;
    }
}
