using System.Globalization;
using DuckDB.NET.Data;
using MiniExcelLibs;
using Sources.Silo.Probing.DuckDb;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// An XLSX workbook's sheets, copied into the source's DuckDB database through MiniExcel (DuckDB's
/// own Excel reader is an extension it would download): one table per sheet, the first row as
/// column names, a column numeric when every value in it is a number, text otherwise.
/// </summary>
public static class XlsxImport
{
    public static List<string> Copy(string xlsxPath, string filename, DuckDBConnection duckDb, TableNames names)
    {
        var made = new List<string>();
        // The downloaded file's name is ours, not the user's; tell MiniExcel the format rather than the extension.
        using var workbook = File.OpenRead(xlsxPath);
        foreach (var sheet in MiniExcel.GetSheetNames(workbook))
        {
            workbook.Position = 0;
            var rows = MiniExcel.Query(workbook, useHeaderRow: true, sheetName: sheet, excelType: ExcelType.XLSX)
                .Cast<IDictionary<string, object?>>()
                .ToList();
            if (rows.Count == 0) continue;
            var columns = rows[0].Keys.ToList();
            var numeric = columns.ToDictionary(c => c, c => rows.All(r => r[c] is null or double or int or long or decimal));

            var target = names.For(Path.GetFileNameWithoutExtension(filename) + "_" + sheet);
            var definitions = string.Join(", ", columns.Select(c => $"{DuckDbLockdown.Identifier(c)} {(numeric[c] ? "DOUBLE" : "VARCHAR")}"));
            DuckDbLockdown.Execute(duckDb, $"CREATE TABLE {DuckDbLockdown.Identifier(target)} ({definitions})");
            using (var appender = duckDb.CreateAppender(target))
            {
                foreach (var values in rows)
                {
                    var row = appender.CreateRow();
                    foreach (var column in columns)
                    {
                        var value = values[column];
                        if (value is null) row.AppendNullValue();
                        else if (numeric[column]) row.AppendValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        else row.AppendValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    }
                    row.EndRow();
                }
            }
            made.Add(target);
        }
        return made;
    }
}
