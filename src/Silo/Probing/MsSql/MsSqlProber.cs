using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.SqlClient;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// MSSQL: connects with SqlClient, through <see cref="TdsRoutingGuard"/>, to the address the network
/// policy checked; the relay holds the TLS and checks the certificate against the host name the user
/// gave (an instance name, looked up by SqlClient, uses SqlClient's own TLS and HostNameInCertificate); reads
/// @@VERSION, the user schemas and their tables with their columns. Signs in with SQL authentication only, and every
/// timeout is the probe's budget.
/// </summary>
public sealed class MsSqlProber(NetworkPolicy network) : IProber
{
    public string Type => "MSSQL";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings) =>
        MsSqlConnectionSettings.From(settings).Problem is { } problem ? [problem] : [];

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var (builder, target, _) = MsSqlConnectionSettings.From(settings);
        var host = target!.Host;
        var destination = await network.Resolve(host, cancellation);
        if (!destination.IsAllowed)
            return destination.ToResult();

        var address = destination.Addresses[0];
        var literal = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        // SqlClient follows a login's routing answer anywhere by itself: with a port, it connects
        // through a relay that cuts a routed login (an instance name is looked up by SqlClient itself).
        // With TLS, the relay holds it and checks the certificate (ServerCertificateCheck); SqlClient
        // speaks plain TDS to the relay on loopback and builds no chain against the server.
        var check = target.Port is not null && target.Tls != TlsMode.Disable
            ? new ServerCertificateCheck(new TlsSettings(target.Tls, true, SettingsFields.Text(settings, "ssl_ca")),
                string.IsNullOrEmpty(builder!.HostNameInCertificate) ? host : builder.HostNameInCertificate)
            : null;
        await using var routing = target.Port is not { } port ? null
            : check is not null ? TdsRoutingGuard.StartEncrypted(new IPEndPoint(address, port), check, target.Strict, cancellation)
            : TdsRoutingGuard.Start(new IPEndPoint(address, port), cancellation);
        builder!.DataSource = routing is not null ? $"tcp:127.0.0.1,{routing.Port}" : "tcp:" + literal + "\\" + target.Instance;
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
        var clock = BudgetClock.Start(context.Budget);
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
            if (routing?.Refusal(host) is { } refused)
                return refused;
            return MsSqlFailures.Classify(ex, host, builder.InitialCatalog is { Length: > 0 } database ? database : null);
        }
    }
}
