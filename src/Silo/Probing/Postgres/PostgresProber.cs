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
            var version = (string?)await Scalar(connection, "SELECT version()", clock, cancellation);
            var schemas = await Schemas(connection, clock, cancellation);
            var selected = settings["selected_schemas"]?.AsArray().Select(s => s!.GetValue<string>()).ToList() ?? [];
            var missing = selected.Where(s => !schemas.Contains(s)).ToArray();
            var listed = selected.Count > 0 ? selected.Except(missing).ToList() : schemas;
            var tables = await Tables(connection, listed, clock, cancellation);
            var columns = await Columns(connection, listed, clock, cancellation);
            var discovery = DiscoveredTables.Discovery([new("schemas", DiscoveryJson.Strings(schemas))], tables, columns);
            var warnings = missing.Select(s => $"The selected schema '{s}' does not exist.").ToArray();
            return ProbeResult.Succeeded(version, discovery.ToJsonString(), warnings);
        }
        catch (Exception ex) when (ex is NpgsqlException or NotSupportedException or System.Net.Sockets.SocketException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            if (cancellation.IsCancellationRequested) throw new OperationCanceledException(cancellation);
            return PostgresFailures.Classify(ex, host, builder.Database, signingIn: !opened, check);
        }
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        return await command.ExecuteScalarAsync(cancellation);
    }

    private static async Task<List<string>> Schemas(NpgsqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        const string sql = """
            SELECT nspname FROM pg_catalog.pg_namespace
            WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              AND nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%'
            ORDER BY nspname
            LIMIT 1000
            """;
        var schemas = new List<string>();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            schemas.Add(reader.GetString(0));
        return schemas;
    }

    private static async Task<List<TableRow>> Tables(NpgsqlConnection connection, List<string> schemas, BudgetClock clock, CancellationToken cancellation)
    {
        const string sql = """
            SELECT n.nspname, c.relname,
                   CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized_view' WHEN 'f' THEN 'foreign_table' ELSE 'table' END
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY(@schemas) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            ORDER BY n.nspname, c.relname
            LIMIT @limit
            """;
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("schemas", schemas.ToArray());
        command.Parameters.AddWithValue("limit", DiscoveryJson.MaxTables);
        return await DbReads.Rows(command, r => new TableRow(null, r.GetString(0), r.GetString(1), r.GetString(2)), cancellation);
    }

    /// <summary>
    /// Every column of the same relations, in the same order, in one query: the type as
    /// format_type writes it (<c>character varying(40)</c>), NOT NULL, and membership of the primary key.
    /// </summary>
    internal const string ColumnsSql = """
        SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
               NOT a.attnotnull, COALESCE(a.attnum = ANY (i.indkey), false)
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE n.nspname = ANY(@schemas) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY n.nspname, c.relname, a.attnum
        LIMIT @limit
        """;

    private static async Task<List<ColumnRow>> Columns(NpgsqlConnection connection, List<string> schemas, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(ColumnsSql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("schemas", schemas.ToArray());
        command.Parameters.AddWithValue("limit", DiscoveredTables.ColumnQueryLimit);
        return await DbReads.Rows(command, r => new ColumnRow(null, r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetBoolean(5)), cancellation);
    }
}
