using System.Net;
using System.Net.Sockets;

namespace Sources.Silo.Probing.Network;

/// <summary>
/// The IPv4 address inside an IPv6 address that a network translates or tunnels to it: NAT64's
/// well-known prefix (64:ff9b::/96, RFC 6052), 6to4 (2002::/16, RFC 3056), IPv4-translated
/// (::ffff:0:a.b.c.d, RFC 2765) and IPv4-compatible (::a.b.c.d) forms. A destination in one of
/// these forms is checked both as itself and as the IPv4 address it reaches.
/// </summary>
public static class EmbeddedIPv4
{
    public static IPAddress? Of(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
            return null;
        var bytes = address.GetAddressBytes();
        if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && Zero(bytes, 4, 12))
            return new IPAddress(bytes.AsSpan(12, 4));
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
            return new IPAddress(bytes.AsSpan(2, 4));
        if (Zero(bytes, 0, 8) && bytes[8] == 0xff && bytes[9] == 0xff && bytes[10] == 0 && bytes[11] == 0)
            return new IPAddress(bytes.AsSpan(12, 4));
        // ::a.b.c.d, but not :: or ::1, which are IPv6's own.
        if (Zero(bytes, 0, 12) && !Zero(bytes, 12, 15))
            return new IPAddress(bytes.AsSpan(12, 4));
        return null;
    }

    /// <summary>Whether bytes [from, to) are all zero.</summary>
    private static bool Zero(byte[] bytes, int from, int to)
    {
        for (var i = from; i < to; i++)
            if (bytes[i] != 0) return false;
        return true;
    }
}
