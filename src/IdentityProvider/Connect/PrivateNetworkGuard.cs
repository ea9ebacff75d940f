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

    /// <summary>Loopback, private (RFC 1918, RFC 4193), link-local (cloud metadata lives there), shared (RFC 6598), unspecified or multicast.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (first & 0xFE) == 0xFC;
        }

        var bytes = address.GetAddressBytes();
        return bytes[0] switch
        {
            0 or 10 or 127 => true,
            100 => bytes[1] is >= 64 and <= 127,
            169 => bytes[1] == 254,
            172 => bytes[1] is >= 16 and <= 31,
            192 => bytes[1] == 168,
            >= 224 => true,
            _ => false,
        };
    }
}
