using System.Net;
using System.Net.Sockets;

namespace Sources.Silo.Probing.Network;

/// <summary>
/// The one gate every outbound probe passes: resolve the host, check every address it has,
/// and hand back the checked addresses for the driver to connect to, so a name that resolves
/// differently a moment later (DNS rebinding) cannot slip past.
/// </summary>
public sealed class NetworkPolicy
{
    /// <summary>What a refused address is told: the same words whatever the reason, so a probe
    /// cannot be used to learn which internal addresses exist.</summary>
    public const string DeniedMessage = "This host is not allowed as a source destination.";

    /// <summary>
    /// What a name is told when it does not resolve and when it resolves to an address that is
    /// refused: one answer for both, so a probe cannot be used to learn which internal names exist.
    /// </summary>
    public static Destination NameRefused(string host) =>
        Destination.Refused(ProbeOutcome.Unreachable, $"The host '{host}' could not be found, or is not allowed as a source destination.");

    private static readonly IpRange[] AlwaysDenied =
    [
        IpRange.Parse("169.254.0.0/16"),   // link-local, cloud metadata (169.254.169.254)
        IpRange.Parse("fe80::/10"),        // IPv6 link-local
        IpRange.Parse("fd00:ec2::254/128"),// AWS metadata over IPv6
        IpRange.Parse("100.100.100.200/32"), // Alibaba Cloud metadata
        IpRange.Parse("168.63.129.16/32"), // Azure WireServer
        IpRange.Parse("192.0.0.0/24"),     // IETF protocol assignments (Oracle Cloud metadata 192.0.0.192)
        IpRange.Parse("0.0.0.0/8"),
        IpRange.Parse("224.0.0.0/4"),      // multicast
        IpRange.Parse("255.255.255.255/32"),
        IpRange.Parse("::/128"),
        IpRange.Parse("ff00::/8"),
    ];

    private static readonly IpRange[] Loopback = [IpRange.Parse("127.0.0.0/8"), IpRange.Parse("::1/128")];

    private static readonly IpRange[] Private =
    [
        IpRange.Parse("10.0.0.0/8"),
        IpRange.Parse("172.16.0.0/12"),
        IpRange.Parse("192.168.0.0/16"),
        IpRange.Parse("100.64.0.0/10"),    // carrier-grade NAT
        IpRange.Parse("198.18.0.0/15"),    // benchmarking, used inside some networks
        IpRange.Parse("240.0.0.0/4"),      // reserved (class E), used for pod ranges on some platforms
        IpRange.Parse("192.88.99.0/24"),   // 6to4 relay anycast
        IpRange.Parse("fc00::/7"),         // unique local
        IpRange.Parse("fec0::/10"),        // site-local (deprecated, still routed in places)
        IpRange.Parse("64:ff9b:1::/48"),   // local-use NAT64: translates into the network's own ranges
    ];

    private readonly IpRange[] _allowed;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public NetworkPolicy(NetworkSettings settings, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _allowed = settings.Allow.SelectMany(Expand).ToArray();
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>The addresses of <paramref name="host"/> a probe may connect to, or why not.</summary>
    public async Task<Destination> Resolve(string host, CancellationToken cancellation)
    {
        var name = host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.');
        IPAddress[] addresses;
        if (IPAddress.TryParse(name, out var literal))
            addresses = [literal];
        else if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];
        else
        {
            try
            {
                addresses = await _resolve(name, cancellation);
            }
            catch (SocketException)
            {
                return NameRefused(host);
            }
            catch (ArgumentException)
            {
                return Destination.Refused(ProbeOutcome.InvalidConfig, $"'{host}' is not a valid host name.");
            }
            if (addresses.Length == 0)
                return NameRefused(host);
            var resolved = Normalised(addresses);
            // Every address must pass: a name with one internal address among public ones is refused.
            return resolved.All(IsAllowed) ? Destination.Allowed(resolved) : NameRefused(host);
        }

        // An address the user gave (or localhost): refusing it tells them nothing they did not know.
        var given = Normalised(addresses);
        return given.All(IsAllowed)
            ? Destination.Allowed(given)
            : Destination.Refused(ProbeOutcome.InvalidConfig, DeniedMessage);
    }

    private static IPAddress[] Normalised(IPAddress[] addresses) =>
        addresses.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToArray();

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        // An IPv6 form that carries an IPv4 address reaches that address: both must pass.
        if (EmbeddedIPv4.Of(address) is { } inner && !IsAllowed(inner)) return false;
        if (AlwaysDenied.Any(r => r.Contains(address))) return false;
        if (Loopback.Any(r => r.Contains(address)) || Private.Any(r => r.Contains(address)))
            return _allowed.Any(r => r.Contains(address));
        return true;
    }

    private static IEnumerable<IpRange> Expand(string entry) => entry.Trim().ToLowerInvariant() switch
    {
        "loopback" => Loopback,
        "private" => Private,
        var cidr => [IpRange.Parse(cidr)],
    };
}

/// <summary>Where a probe may go: the checked addresses, or the outcome and message that refuse it.</summary>
public sealed record Destination(IPAddress[] Addresses, string? Outcome, string? Message)
{
    public bool IsAllowed => Outcome is null;
    public static Destination Allowed(IPAddress[] addresses) => new(addresses, null, null);
    public static Destination Refused(string outcome, string message) => new([], outcome, message);
    public ProbeResult ToResult() => ProbeResult.Failed(Outcome!, Message!);
}
