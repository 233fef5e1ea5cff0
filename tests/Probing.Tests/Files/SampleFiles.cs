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

    /// <summary>A real XLSX workbook with one sheet, "costs", written by MiniExcel.</summary>
    public static byte[] XlsxWorkbook()
    {
        var rows = new[]
        {
            new Dictionary<string, object> { ["item"] = "paper", ["amount"] = 12.5 },
            new Dictionary<string, object> { ["item"] = "ink", ["amount"] = 40 },
            new Dictionary<string, object> { ["item"] = "desk", ["amount"] = 199.99 },
        };
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, rows, sheetName: "costs");
        return stream.ToArray();
    }

    /// <summary>A real SQLite database with two tables (integers, reals, text, a null), made with Microsoft.Data.Sqlite.</summary>
    public static byte[] SqliteDatabase() => Sqlite3("""
        CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, note TEXT);
        INSERT INTO orders VALUES (1, 9.5, 'first'), (2, 20.25, NULL), (3, 0, 'third');
        CREATE TABLE users (name VARCHAR(40), age INT);
        INSERT INTO users VALUES ('ada', 36), ('alan', 41);
        CREATE VIEW big AS SELECT * FROM orders WHERE amount > 10;
        """);

    /// <summary>A SQLite database with a full-text (fts5) virtual table, whose shadow tables hold the index, beside one ordinary table.</summary>
    public static byte[] SqliteWithVirtualTable() => Sqlite3("""
        CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
        INSERT INTO notes VALUES (1, 'alpha'), (2, 'beta');
        CREATE VIRTUAL TABLE search USING fts5(body);
        INSERT INTO search VALUES ('alpha'), ('beta');
        """);

    private static byte[] Sqlite3(string script)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sources-sample-{Guid.NewGuid():N}.sqlite");
        try
        {
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = script;
                command.ExecuteNonQuery();
            }
            return System.IO.File.ReadAllBytes(path);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

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
