using System.Text.Json.Nodes;
using MySqlConnector;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.MySql;

/// <summary>
/// Everything that speaks the MySQL protocol (MySQL, MariaDB, SingleStore): connects with
/// MySqlConnector to the address the network policy checked, reads the server version, the
/// databases the user can see and the tables of database_name with their columns. Nothing the driver could be
/// steered by is taken from the user: no LOAD DATA LOCAL, no server redirection, no public-key
/// retrieval. Each probe has a data source of its own, disposed with it: MySqlConnector keeps a
/// process-wide entry per distinct connection string otherwise, pooled or not. Every timeout is
/// what is left of the probe's budget.
/// </summary>
public abstract class MySqlProtocolProber(NetworkPolicy network) : IProber
{
    private static readonly string[] SystemDatabases = ["information_schema", "mysql", "performance_schema", "sys", "memsql", "cluster"];

    public abstract string Type { get; }

    /// <summary>The product's name in messages ("MySQL", "SingleStore").</summary>
    protected abstract string Product { get; }

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings) =>
        SettingsFields.Required(settings, "hostname", "username", "password", "database_name")
            .Concat(new[] { SettingsFields.Host(settings, "hostname"), SettingsFields.Port(settings) }.OfType<SettingsProblem>())
            .Concat(TlsSettings.Problems(settings))
            .ToList();

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var host = SettingsFields.Text(settings, "hostname")!;
        var database = SettingsFields.Text(settings, "database_name")!;
        var destination = await network.Resolve(host, cancellation);
        if (!destination.IsAllowed)
            return destination.ToResult();

        var clock = BudgetClock.Start(context.Budget);
        var tls = TlsSettings.From(settings);
        var check = new ServerCertificateCheck(tls, host);
        var builder = new MySqlConnectionStringBuilder
        {
            Server = destination.Addresses[0].ToString(),
            Port = (uint)SettingsFields.Port(settings, 3306),
            UserID = SettingsFields.Text(settings, "username"),
            Password = SettingsFields.Text(settings, "password") ?? "",
            Database = database,
            // MySqlConnector's own verification would build the chain online and read the CA from a
            // file; verify-ca and verify-full are the probe's check instead, which the driver runs
            // only in Required mode.
            SslMode = tls.Mode == TlsMode.Disable ? MySqlSslMode.None : MySqlSslMode.Required,
            AllowLoadLocalInfile = false,
            AllowPublicKeyRetrieval = false,
            ServerRedirectionMode = MySqlServerRedirectionMode.Disabled,
            // A pool of one connection that lives only as long as this probe's data source: with
            // Pooling=false MySqlConnector would remember the connection string for the process's life.
            Pooling = true,
            MinimumPoolSize = 0,
            MaximumPoolSize = 1,
            DnsCheckInterval = 0,
            ConnectionTimeout = (uint)clock.Seconds,
            DefaultCommandTimeout = (uint)clock.Seconds,
            // A timed-out command is not waited on for the server's answer to the cancellation.
            CancellationTimeout = -1,
            ApplicationName = "sources-probe",
        };
        try
        {
            await using var dataSource = new MySqlDataSourceBuilder(builder.ConnectionString)
                .UseRemoteCertificateValidationCallback(check.Callback)
                .Build();
            await using var connection = dataSource.CreateConnection();
            await connection.OpenAsync(cancellation);
            var version = await Version(connection, clock, cancellation);
            var databases = await MySqlCatalog.Databases(connection, clock, cancellation);
            var tables = await MySqlCatalog.Tables(connection, database, clock, cancellation);
            var columns = await MySqlCatalog.Columns(connection, database, clock, cancellation);
            var discovery = DiscoveredTables.Discovery(
                [new("databases", DiscoveryJson.Strings(databases.Where(d => !SystemDatabases.Contains(d, StringComparer.OrdinalIgnoreCase))))],
                tables, columns);
            return ProbeResult.Succeeded(version, discovery.ToJsonString(), []);
        }
        catch (Exception ex) when (ex is MySqlException or System.Net.Sockets.SocketException or TimeoutException or IOException)
        {
            if (cancellation.IsCancellationRequested) throw new OperationCanceledException(cancellation);
            return MySqlFailures.Classify(ex, host, database, Product, check);
        }
    }

    /// <summary>The version string the product reports about itself.</summary>
    protected virtual Task<string?> Version(MySqlConnection connection, BudgetClock clock, CancellationToken cancellation) =>
        MySqlCatalog.Scalar(connection, "SELECT VERSION()", clock, cancellation);
}
