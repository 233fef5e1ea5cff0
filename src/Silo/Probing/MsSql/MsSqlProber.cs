using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.SqlClient;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// MSSQL: connects with SqlClient, through <see cref="TdsRoutingGuard"/>, to the address the network
/// policy checked; the relay holds the TLS and checks the certificate against the host name the user
/// gave. A named instance without a port is looked up first with <see cref="SqlBrowser"/> at the same
/// address, then connected exactly like an explicit port. Reads @@VERSION, the user schemas and their
/// tables with their columns. Signs in with SQL authentication only, and every timeout is the probe's budget.
/// </summary>
public sealed class MsSqlProber : IProber
{
    private readonly NetworkPolicy _network;
    private readonly int _browserPort;

    public MsSqlProber(NetworkPolicy network) : this(network, SqlBrowser.Port)
    {
    }

    /// <summary>Tests aim the SQL Browser lookup at a loopback port of their own; the service always uses 1434.</summary>
    internal MsSqlProber(NetworkPolicy network, int browserPort)
    {
        _network = network;
        _browserPort = browserPort;
    }

    public string Type => "MSSQL";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings) =>
        MsSqlConnectionSettings.From(settings).Problem is { } problem ? [problem] : [];

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var clock = BudgetClock.Start(context.Budget);
        var (builder, target, _) = MsSqlConnectionSettings.From(settings);
        var host = target!.Host;
        var destination = await _network.Resolve(host, cancellation);
        if (!destination.IsAllowed)
            return destination.ToResult();

        var address = destination.Addresses[0];
        if (target.Port is not { } port)
        {
            // The same checked address as the TCP connection; at most half the budget, the rest is the login's.
            var answer = await SqlBrowser.InstancePort(new IPEndPoint(address, _browserPort), host, target.Instance!, clock.Remaining / 2, cancellation);
            if (answer.Failure is { } failure)
                return failure;
            port = answer.Port!.Value;
        }
        // SqlClient follows a login's routing answer anywhere by itself: it connects through a relay
        // that cuts a routed login. With TLS, the relay holds it and checks the certificate
        // (ServerCertificateCheck); SqlClient speaks TDS 8 to the relay on loopback, pinning the
        // relay's own certificate, and builds no chain against the server.
        var check = target.Tls != TlsMode.Disable
            ? new ServerCertificateCheck(new TlsSettings(target.Tls, true, SettingsFields.Text(settings, "ssl_ca")),
                string.IsNullOrEmpty(builder!.HostNameInCertificate) ? host : builder.HostNameInCertificate)
            : null;
        await using var routing = check is not null
            ? TdsRoutingGuard.StartEncrypted(new IPEndPoint(address, port), check, target.Strict, cancellation)
            : TdsRoutingGuard.Start(new IPEndPoint(address, port), cancellation);
        builder!.DataSource = $"tcp:127.0.0.1,{routing.Port}";
        if (check is not null)
        {
            builder.Encrypt = SqlConnectionEncryptOption.Strict;
            builder.TrustServerCertificate = false;
            builder.ServerCertificate = RelayCertificate.Path;
            builder.HostNameInCertificate = RelayCertificate.Name;
        }
        // The certificate is checked against the host the user gave, not the address.
        else if (string.IsNullOrEmpty(builder.HostNameInCertificate) && !IPAddress.TryParse(host.Trim('[', ']'), out _))
            builder.HostNameInCertificate = host.Trim('[', ']');
        builder.ConnectTimeout = clock.Seconds;
        builder.CommandTimeout = clock.Seconds;
        builder.ConnectRetryCount = 0;
        // Only the user and password the source gave: never this machine's Windows or Kerberos identity.
        builder.IntegratedSecurity = false;
        builder.Authentication = SqlAuthenticationMethod.SqlPassword;
        builder.Pooling = false;
        if (string.IsNullOrEmpty(builder.ApplicationName) || builder.ApplicationName == new SqlConnectionStringBuilder().ApplicationName)
            builder.ApplicationName = "sources-probe";
        try
        {
            await using var connection = new SqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellation);
            var version = await MsSqlCatalog.Version(connection, clock, cancellation);
            var schemas = await MsSqlCatalog.Schemas(connection, clock, cancellation);
            var tables = await MsSqlCatalog.Tables(connection, clock, cancellation);
            var columns = await MsSqlCatalog.Columns(connection, clock, cancellation);
            var discovery = DiscoveredTables.Discovery(
                [new("database", connection.Database), new("schemas", DiscoveryJson.Strings(schemas))], tables, columns);
            return ProbeResult.Succeeded(version, discovery.ToJsonString(), []);
        }
        catch (Exception ex) when (ex is SqlException or System.Net.Sockets.SocketException or TimeoutException or IOException or InvalidOperationException)
        {
            if (cancellation.IsCancellationRequested) throw new OperationCanceledException(cancellation);
            if (routing.Refusal(host) is { } refused)
                return refused;
            return MsSqlFailures.Classify(ex, host, builder.InitialCatalog is { Length: > 0 } database ? database : null);
        }
    }
}
