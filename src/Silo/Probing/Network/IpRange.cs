using System.Net;
using System.Net.Sockets;

namespace Sources.Silo.Probing.Network;

/// <summary>An address range in CIDR form, e.g. 10.0.0.0/8 or fe80::/10.</summary>
public sealed record IpRange(IPAddress Network, int PrefixLength)
{
    public static IpRange Parse(string cidr)
    {
        var slash = cidr.IndexOf('/');
        var address = IPAddress.Parse(slash < 0 ? cidr : cidr[..slash]);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = slash < 0 ? bits : int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (prefix < 0 || prefix > bits)
            throw new FormatException($"'{cidr}' has a prefix length outside 0..{bits}.");
        return new IpRange(address, prefix);
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Network.AddressFamily) return false;
        var a = address.GetAddressBytes();
        var n = Network.GetAddressBytes();
        var whole = PrefixLength / 8;
        for (var i = 0; i < whole; i++)
            if (a[i] != n[i]) return false;
        var rest = PrefixLength % 8;
        if (rest == 0) return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (a[whole] & mask) == (n[whole] & mask);
    }
}
