using System.Globalization;
using System.IO.Compression;
using DuckDB.NET.Data;
using MiniExcelLibs;
using Sources.Silo.Probing.DuckDb;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// An XLSX workbook's sheets, copied into the source's DuckDB database through MiniExcel (DuckDB's
/// own Excel reader is an extension it would download): one table per sheet, the first row as
/// column names, a column numeric when every value in it is a number, text otherwise.
/// A sheet is streamed twice, one row at a time, never held: the first pass counts its cells
/// against the caps and finds the column types, the second appends the rows. A workbook's own
/// <c>&lt;dimension&gt;</c> is not trusted for anything; only the cells read are counted.
/// </summary>
public static class XlsxImport
{
    /// <summary>The sheet is larger than the caps allow; the message says which cap.</summary>
    public sealed class TooLargeException(string message) : Exception(message);

    public static List<string> Copy(string xlsxPath, string filename, DuckDBConnection duckDb, TableNames names, FileSettings settings, CancellationToken cancellation)
    {
        var made = new List<string>();
        // The downloaded file's name is ours, not the user's; tell MiniExcel the format rather than the extension.
        using var workbook = File.OpenRead(xlsxPath);
        CheckParts(workbook, settings);
        foreach (var sheet in MiniExcel.GetSheetNames(workbook))
        {
            var shape = Measure(workbook, sheet, settings, cancellation);
            if (shape is null) continue;
            var (columns, numeric) = shape.Value;

            var target = names.For(Path.GetFileNameWithoutExtension(filename) + "_" + sheet);
            var definitions = string.Join(", ", columns.Select((c, i) => $"{DuckDbLockdown.Identifier(c)} {(numeric[i] ? "DOUBLE" : "VARCHAR")}"));
            DuckDbLockdown.Execute(duckDb, $"CREATE TABLE {DuckDbLockdown.Identifier(target)} ({definitions})", cancellation);
            using (var appender = duckDb.CreateAppender(target))
            {
                foreach (var values in Rows(workbook, sheet))
                {
                    cancellation.ThrowIfCancellationRequested();
                    var row = appender.CreateRow();
                    for (var i = 0; i < columns.Count; i++)
                    {
                        var value = values.TryGetValue(columns[i], out var v) ? v : null;
                        if (value is null) row.AppendNullValue();
                        else if (numeric[i]) row.AppendValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        else row.AppendValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    }
                    row.EndRow();
                }
            }
            made.Add(target);
        }
        return made;
    }

    /// <summary>
    /// Every part of the workbook (a zip) unpacks to at most MaxXlsxEntryBytes, as its directory
    /// declares; .NET's zip reader stops an entry that inflates past its declared size, so a part
    /// cannot lie its way past this.
    /// </summary>
    private static void CheckParts(Stream workbook, FileSettings settings)
    {
        using (var zip = new ZipArchive(workbook, ZipArchiveMode.Read, leaveOpen: true))
            foreach (var entry in zip.Entries)
                if (entry.Length > settings.MaxXlsxEntryBytes)
                    throw new TooLargeException($"A part of the workbook unpacks to more than the {settings.MaxXlsxEntryBytes} bytes allowed.");
        workbook.Position = 0;
    }

    /// <summary>The sheet's columns and which are numeric, or null for an empty sheet; throws when it passes a cap.</summary>
    private static (List<string> Columns, bool[] Numeric)? Measure(Stream workbook, string sheet, FileSettings settings, CancellationToken cancellation)
    {
        List<string>? columns = null;
        bool[] numeric = [];
        long cells = 0;
        foreach (var values in Rows(workbook, sheet))
        {
            cancellation.ThrowIfCancellationRequested();
            if (columns is null)
            {
                if (values.Count > settings.MaxXlsxColumns)
                    throw new TooLargeException($"A sheet has more than the {settings.MaxXlsxColumns} columns allowed.");
                columns = [.. values.Keys];
                numeric = [.. columns.Select(_ => true)];
                cells = columns.Count; // the header row
            }
            cells += columns.Count;
            if (cells > settings.MaxXlsxCells)
                throw new TooLargeException($"A sheet has more than the {settings.MaxXlsxCells} cells (rows × columns) allowed.");
            for (var i = 0; i < columns.Count; i++)
                if (numeric[i] && values.TryGetValue(columns[i], out var value) && value is not (null or double or int or long or decimal))
                    numeric[i] = false;
        }
        return columns is null ? null : (columns, numeric);
    }

    /// <summary>The sheet's rows after the header, as MiniExcel reads them: lazily, one at a time.</summary>
    private static IEnumerable<IDictionary<string, object?>> Rows(Stream workbook, string sheet)
    {
        workbook.Position = 0;
        return MiniExcel.Query(workbook, useHeaderRow: true, sheetName: sheet, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>();
    }
}
