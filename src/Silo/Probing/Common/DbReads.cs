using System.Data.Common;

namespace Sources.Silo.Probing.Common;

/// <summary>Reads a command's rows through ADO.NET's common types, for every driver-based prober.</summary>
public static class DbReads
{
    public static async Task<List<T>> Rows<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellation)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellation))
            rows.Add(read(reader));
        return rows;
    }
}
