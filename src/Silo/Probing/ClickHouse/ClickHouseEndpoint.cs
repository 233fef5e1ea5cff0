using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.ClickHouse;

/// <summary>
/// Where a CLICKHOUSE source's HTTP interface is. <c>ssl_mode</c> decides the scheme: disable is
/// plain HTTP, every other mode HTTPS. A source stored without the field keeps what its port said
/// by ClickHouse's convention (8443, ClickHouse Cloud's, and 443 are HTTPS, verified in full;
/// anything else plain HTTP), the only way it had to say so. The URL carries the host name the
/// user gave, never credentials.
/// </summary>
public static class ClickHouseEndpoint
{
    public const int DefaultPort = 8443;

    private static readonly int[] HttpsPorts = [8443, 443];

    public static Uri For(JsonObject settings)
    {
        var host = SettingsFields.Text(settings, "host")!.Trim();
        var port = SettingsFields.Port(settings, DefaultPort);
        var scheme = Tls(settings).Mode == TlsMode.Disable ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new UriBuilder(scheme, host, port, "/").Uri;
    }

    /// <summary>The source's TLS: ssl_mode, else what its port says (disable, or verify-full on an HTTPS port).</summary>
    public static TlsSettings Tls(JsonObject settings) =>
        TlsSettings.From(settings, HttpsPorts.Contains(SettingsFields.Port(settings, DefaultPort)) ? TlsMode.VerifyFull : TlsMode.Disable);
}
