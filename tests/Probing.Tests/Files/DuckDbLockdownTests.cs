using DuckDB.NET.Data;
using Sources.Silo.Probing.DuckDb;

namespace Sources.Probing.Tests.Files;

/// <summary>
/// After the lockdown DuckDB reads its one folder and nothing else, keeps to its share of threads,
/// memory and spill, cannot be opened up again, and stops a statement when the token fires.
/// </summary>
public sealed class DuckDbLockdownTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sources-lockdown-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private DuckDBConnection Locked()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        DuckDbLockdown.Apply(connection, _folder);
        return connection;
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public void A_file_in_the_allowed_folder_reads()
    {
        var csv = Path.Combine(_folder, "ok.csv");
        File.WriteAllText(csv, "a\n1\n2\n");
        using var connection = Locked();

        Assert.Equal(2L, Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM read_csv('{csv}')")));
    }

    [Theory]
    [InlineData("SELECT count(*) FROM read_csv('/etc/passwd')")]
    [InlineData("SELECT count(*) FROM read_text('/etc/hostname')")]
    [InlineData("SET enable_external_access = true")]
    [InlineData("SET lock_configuration = false")]
    [InlineData("LOAD httpfs")]
    [InlineData("INSTALL sqlite_scanner")]
    public void Anything_outside_is_refused(string sql)
    {
        using var connection = Locked();

        Assert.Throws<DuckDBException>(() => Scalar(connection, sql));
    }

    [Fact]
    public void A_path_that_climbs_out_of_the_folder_is_refused()
    {
        using var connection = Locked();

        Assert.Throws<DuckDBException>(() => Scalar(connection, $"SELECT count(*) FROM read_csv('{_folder}/../../etc/passwd')"));
    }

    [Fact]
    public void The_limits_are_set_and_locked()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        DuckDbLockdown.Apply(connection, _folder, new DuckDbLimits { Threads = 1, MemoryLimitBytes = 100L << 20, MaxTempDirectoryBytes = 200L << 20 });

        Assert.Equal(1L, Convert.ToInt64(Scalar(connection, "SELECT current_setting('threads')")));
        Assert.Equal("100.0 MiB", Scalar(connection, "SELECT current_setting('memory_limit')"));
        Assert.Equal("200.0 MiB", Scalar(connection, "SELECT current_setting('max_temp_directory_size')"));
        Assert.Throws<DuckDBException>(() => Scalar(connection, "SET threads = 8"));
        Assert.Throws<DuckDBException>(() => Scalar(connection, "SET memory_limit = '8GB'"));
    }

    [Theory]
    [MemberData(nameof(Tries))]
    public async Task A_statement_running_when_the_token_fires_is_interrupted(int _)
    {
        using var connection = Locked();
        using var cancel = new CancellationTokenSource();
        using var interrupt = DuckDbLockdown.InterruptOn(connection, cancel.Token);
        // Hours of work: it ends only if DuckDB is interrupted. The token may fire before the
        // statement starts, while DuckDB prepares it, or while it runs (the tries land in each);
        // the interrupt is sent again until the statement ends, and each case is a cancellation.
        var running = Task.Factory.StartNew(() => DuckDbLockdown.Execute(connection, "CREATE TABLE t AS SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3", cancel.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    public static TheoryData<int> Tries() => [.. Enumerable.Range(1, 20)];

    [Fact]
    public void A_token_cancelled_before_the_statement_stops_it_from_starting()
    {
        using var connection = Locked();

        Assert.Throws<OperationCanceledException>(() => DuckDbLockdown.Execute(connection, "CREATE TABLE t AS SELECT 1", new CancellationToken(canceled: true)));
        Assert.Throws<DuckDBException>(() => Scalar(connection, "SELECT * FROM t"));
    }
}
