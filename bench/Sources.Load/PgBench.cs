using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Sources.TestServers;

namespace Sources.Load;

/// <summary>
/// The ceiling for a create on PostgreSQL: pgbench on the same server, each transaction one
/// single-row INSERT committed on its own (autocommit), no vacuum (-n).
/// </summary>
public sealed partial class PgBench(PostgresServer server, string scriptPath) : IDisposable
{
    private const string Database = "pgbench_load";

    private const string Script = "INSERT INTO load_rows (account, payload) VALUES ('default', repeat('x', 512));\n";

    public static async Task<PgBench> PrepareAsync(PostgresServer server)
    {
        await server.CreateDatabaseAsync(Database);
        await server.ExecuteAsync(Database, "CREATE TABLE load_rows (id bigserial PRIMARY KEY, account text NOT NULL, payload text NOT NULL)");
        var script = Path.Combine(Path.GetTempPath(), $"sources-load-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, Script);
        return new PgBench(server, script);
    }

    public string ScriptText => Script.Trim();

    /// <summary>The database pgbench inserts into, for the Kestrel ceiling to insert into the same table.</summary>
    public string ConnectionString => server.ConnectionStringFor(Database);

    /// <summary>Transactions per second (without the initial connection time) at this many clients.</summary>
    public async Task<double> RunAsync(int clients, TimeSpan duration)
    {
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var start = new ProcessStartInfo(Path.Combine(PostgresBinaries.FindBinDirectory(), "pgbench"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LC_ALL"] = "C";
        foreach (var argument in new[]
                 {
                     "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
                     "-n", "-f", scriptPath, "-c", Num(clients), "-j", Num(Math.Min(2, clients)), "-T", Num(seconds), Database,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start pgbench.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pgbench did not finish in time.");
        }

        var output = await stdout;
        if (process.ExitCode != 0 || Tps().Match(output) is not { Success: true } tps)
            throw new InvalidOperationException($"pgbench exited with {process.ExitCode}:\n{output}\n{await stderr}");
        return double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    public void Dispose() => File.Delete(scriptPath);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
