using System.Text.Json.Nodes;
using Npgsql;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.Postgres;

/// <summary>
/// POSTGRES: connects with Npgsql to the address the network policy checked (TLS still
/// verifies the name the user gave), through a data source of its own (<see cref="PostgresDriver"/>),
/// reads version(), the non-system schemas and the tables of the selected ones (or of all of them
/// when none are selected) with their columns: one query for the tables, one for all their columns. Every step's timeout is what is left of the probe's budget.
/// </summary>
public sealed class PostgresProber(NetworkPolicy network) : IProber
{
    public string Type => "POSTGRES";

    /// <summary>
    /// Separate fields are checked by the contract, but for what ssl_ca holds. A connection string
    /// must name the user, or Npgsql would take PGUSER or this machine's login, and its sslmode
    /// must agree with ssl_mode.
    /// </summary>
    public IReadOnlyList<SettingsProblem> Check(JsonObject settings)
    {
        if (!settings.ContainsKey("connection_string"))
            return TlsSettings.Problems(settings).ToList();
        return PostgresConnectionSettings.From(settings) switch
        {
            { Problem: { } problem, Pointer: var pointer } => [new SettingsProblem(pointer, problem)],
            { Builder.Username: null or "" } => [new SettingsProblem("/connection_string", NoUser)],
            _ => [],
        };
    }

    private const string NoUser = "The connection string names no username.";

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var clock = BudgetClock.Start(context.Budget);
        var built = PostgresConnectionSettings.From(settings);
        if (built.Builder is not { } builder)
            return ProbeResult.Failed(ProbeOutcome.InvalidConfig, built.Problem ?? "The settings are not valid.");
        var host = builder.Host!;
        if (string.IsNullOrEmpty(builder.Username))
            return ProbeResult.Failed(ProbeOutcome.InvalidConfig, NoUser);
        var destination = await network.Resolve(host, cancellation);
        if (!destination.IsAllowed)
            return destination.ToResult();

        var opened = false;
        var check = built.Tls is { } tls ? new ServerCertificateCheck(tls, host) : null;
        try
        {
            await using var dataSource = PostgresDriver.Build(builder, destination.Addresses[0].ToString(), host, clock.Remaining, check);
            await using var connection = dataSource.CreateConnection();
            await connection.OpenAsync(cancellation);
            opened = true;
            var selected = settings["selected_schemas"]?.AsArray().Select(s => s!.GetValue<string>()).ToList() ?? [];
            var catalog = await PostgresCatalog.ReadAll(connection, selected, clock, cancellation);
            var discovery = DiscoveredTables.Discovery([new("schemas", DiscoveryJson.Strings(catalog.Schemas))], catalog.Tables, catalog.Columns);
            var warnings = catalog.Missing.Select(s => $"The selected schema '{s}' does not exist.").ToArray();
            return ProbeResult.Succeeded(catalog.Version, discovery.ToJsonString(), warnings);
        }
        catch (Exception ex) when (ex is NpgsqlException or NotSupportedException or System.Net.Sockets.SocketException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            if (cancellation.IsCancellationRequested) throw new OperationCanceledException(cancellation);
            return PostgresFailures.Classify(ex, host, builder.Database, signingIn: !opened, check);
        }
    }
}
