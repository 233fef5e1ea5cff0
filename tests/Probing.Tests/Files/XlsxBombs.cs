using System.IO.Compression;
using System.Text;

namespace Sources.Probing.Tests.Files;

/// <summary>
/// Hostile workbooks written by hand, as an attacker would: the parts Excel needs and one sheet
/// whose XML is whatever the test asks for, deflated, so a few megabytes stand for millions of cells.
/// </summary>
public static class XlsxBombs
{
    /// <summary>A sheet of <paramref name="rows"/> rows × <paramref name="columns"/> numbers (cells placed by order, as OOXML allows) under a header row, claiming the largest dimension.</summary>
    public static byte[] ManyCells(int rows, int columns) => Workbook(sheet =>
    {
        sheet.Write("<sheetData>");
        WriteRow(sheet, 1, Enumerable.Range(0, columns).Select(c => $"<c r=\"{Column(c)}1\" t=\"inlineStr\"><is><t>c{c}</t></is></c>"));
        for (var r = 2; r <= rows + 1; r++)
            WriteRow(sheet, r, Enumerable.Repeat("<c><v>7</v></c>", columns));
        sheet.Write("</sheetData>");
    });

    /// <summary>A header of <paramref name="columns"/> names and one row under it.</summary>
    public static byte[] WideHeader(int columns) => Workbook(sheet =>
    {
        sheet.Write("<sheetData>");
        WriteRow(sheet, 1, Enumerable.Range(0, columns).Select(c => $"<c r=\"{Column(c)}1\" t=\"inlineStr\"><is><t>c{c}</t></is></c>"));
        WriteRow(sheet, 2, ["<c r=\"A2\"><v>1</v></c>"]);
        sheet.Write("</sheetData>");
    });

    /// <summary>Three header cells and one cell in Excel's last row: a reader that fills the gap makes a million rows.</summary>
    public static byte[] FarLastRow() => Workbook(sheet =>
    {
        sheet.Write("<sheetData>");
        WriteRow(sheet, 1, ["<c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c>", "<c r=\"B1\" t=\"inlineStr\"><is><t>b</t></is></c>", "<c r=\"C1\" t=\"inlineStr\"><is><t>c</t></is></c>"]);
        WriteRow(sheet, 1048576, ["<c r=\"A1048576\"><v>1</v></c>"]);
        sheet.Write("</sheetData>");
    });

    private static void WriteRow(TextWriter sheet, int row, IEnumerable<string> cells)
    {
        sheet.Write($"<row r=\"{row}\">");
        foreach (var cell in cells) sheet.Write(cell);
        sheet.Write("</row>");
    }

    private static string Column(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
            name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    private static byte[] Workbook(Action<TextWriter> sheetData)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                <Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
                </Types>
                """);
            Part(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
                </Relationships>
                """);
            Part(zip, "xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                <sheets><sheet name="bomb" sheetId="1" r:id="rId1"/></sheets>
                </workbook>
                """);
            Part(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
                </Relationships>
                """);
            var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize);
            using var sheet = new StreamWriter(entry.Open(), new UTF8Encoding(false), 1 << 16);
            sheet.Write("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>""");
            sheetData(sheet);
            sheet.Write("</worksheet>");
        }
        return stream.ToArray();
    }

    private static void Part(ZipArchive zip, string name, string xml)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(xml.Trim());
    }
}
