using System.Globalization;
using System.Text;
using Npgsql;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>Everything a node's storage holds, as bytes to scan: raw files or every row of every table.</summary>
public static class StorageContents
{
    /// <summary>The raw bytes of every file in embedded mode's data folder (the SQLite database, its WAL, the key file).</summary>
    public static IReadOnlyDictionary<string, byte[]> EmbeddedFiles(ServiceConfig config) =>
        Directory.EnumerateFiles(config.DataDirectory, "*", SearchOption.AllDirectories).ToDictionary(
            file => file,
            file =>
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            });

    /// <summary>
    /// Every row of every table in the database, one line per row. Binary columns are given as their
    /// raw bytes (Latin-1, one char per byte), so text stored inside them stays findable.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, byte[]>> PostgresTables(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        Assert.NotEmpty(tables);

        var dump = new Dictionary<string, byte[]>();
        foreach (var table in tables)
        {
            var text = new StringBuilder();
            await using var select = new NpgsqlCommand($"SELECT * FROM {table}", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                for (var i = 0; i < rows.FieldCount; i++)
                    text.Append(rows.GetValue(i) switch
                    {
                        byte[] bytes => Encoding.Latin1.GetString(bytes),
                        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
                    }).Append('|');
                text.AppendLine();
            }
            dump[table] = Encoding.Latin1.GetBytes(text.ToString());
        }
        return dump;
    }
}
