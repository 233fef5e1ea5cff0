using System.Text;
using DuckDB.NET.Data;

namespace Sources.Probing.Tests.Files;

/// <summary>Small files of each format, made by the test.</summary>
public static class SampleFiles
{
    public static byte[] Csv => Encoding.UTF8.GetBytes("id,name\n1,alpha\n2,beta\n3,gamma\n");
    public static byte[] Tsv => Encoding.UTF8.GetBytes("id\tname\n1\talpha\n2\tbeta\n");
    public static byte[] Json => Encoding.UTF8.GetBytes("""[{"id": 1, "name": "alpha"}, {"id": 2, "name": "beta"}]""");
    public static byte[] Ndjson => Encoding.UTF8.GetBytes("{\"id\": 1, \"ok\": true}\n{\"id\": 2, \"ok\": false}\n{\"id\": 3, \"ok\": true}\n{\"id\": 4, \"ok\": true}\n");
    public static byte[] MalformedCsv => Encoding.UTF8.GetBytes("id,name\n1,alpha\n2,beta,extra,columns\n\"unterminated,quote\n");
    public static byte[] Xlsx => [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0];
    public static byte[] Sqlite => [.. "SQLite format 3\0"u8, 0x10, 0x00, 0x01, 0x01];

    /// <summary>Five rows written by DuckDB's own COPY ... TO (FORMAT parquet).</summary>
    public static byte[] Parquet()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sample-{Guid.NewGuid():N}.parquet");
        try
        {
            using (var connection = new DuckDBConnection("DataSource=:memory:"))
            {
                connection.Open();
                using var copy = connection.CreateCommand();
                copy.CommandText = $"COPY (SELECT range AS id, 'row ' || range AS label FROM range(5)) TO '{path}' (FORMAT parquet)";
                copy.ExecuteNonQuery();
            }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
