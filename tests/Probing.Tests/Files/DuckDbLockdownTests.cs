using DuckDB.NET.Data;
using Sources.Silo.Probing.DuckDb;

namespace Sources.Probing.Tests.Files;

/// <summary>After the lockdown DuckDB reads its one folder and nothing else, and cannot be opened up again.</summary>
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
}
