using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
namespace Mitreden.ServiceDefaults.Exports;

/// <summary>
/// A table to export: column names and rows produced while they are read (never all in memory). A cell is text
/// (<see cref="string"/>), a number (<see cref="long"/>, <see cref="int"/>, <see cref="decimal"/>) or empty (null).
/// </summary>
public sealed record ExportTable(string Name, IReadOnlyList<string> Columns, IAsyncEnumerable<object?[]> Rows)
{
    /// <summary>
    /// Spreadsheets keep 15 significant digits; a longer integer (an id, a huge count) would lose its last digits
    /// as a number, so it is written as text.
    /// </summary>
    public static bool FitsSpreadsheetNumber(object value) => value switch
    {
        long l => l is > -1_000_000_000_000_000 and < 1_000_000_000_000_000,
        int => true,
        decimal d => SignificantDigits(d) <= 15,
        _ => false,
    };

    private static int SignificantDigits(decimal d) =>
        Math.Abs(d).ToString("0.##########", CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length;
}

/// <summary>CSV: "csv" is RFC 4180 (comma, invariant numbers); "csv-de" is what German Excel opens directly (UTF-8 BOM, ';', decimal comma).</summary>
public static class CsvExport
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static async Task WriteAsync(Stream output, ExportTable table, bool german, CancellationToken ct)
    {
        var separator = german ? ';' : ',';
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: german), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(separator, table.Columns.Select(c => CsvText.Field(c, separator))).AsMemory(), ct);
        await writer.WriteAsync("\r\n".AsMemory(), ct);
        var rows = 0;
        await foreach (var row in table.Rows.WithCancellation(ct))
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    await writer.WriteAsync(separator);
                }
                await writer.WriteAsync(Cell(row[i], german, separator).AsMemory(), ct);
            }
            await writer.WriteAsync("\r\n".AsMemory(), ct);
            if (++rows % 2000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }
        await writer.FlushAsync(ct);
    }

    /// <summary>Numbers as we format them (a negative number stays a number); text through the one CSV text rule.</summary>
    public static string Cell(object? value, bool german, char separator) => value switch
    {
        null => "",
        string text => CsvText.Field(text, separator),
        _ => CsvText.Quote(Format(value, german), separator),
    };

    public static string Format(object? value, bool german) => value switch
    {
        null => "",
        decimal d => d.ToString("0.##########", german ? German : CultureInfo.InvariantCulture),
        double d => d.ToString("0.##########", german ? German : CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>
/// XLSX (SpreadsheetML in a zip), written by hand with the main namespace as the default namespace: readers such
/// as ExcelJS refuse the "x:"-prefixed elements DocumentFormat.OpenXml writes. Rows go to a temporary file as they
/// are read (the zip is written synchronously, never to the response), then the file is copied to the response.
/// </summary>
public static class XlsxExport
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    public static async Task WriteAsync(Stream output, ExportTable table, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mitreden-export-{Guid.NewGuid():N}.xlsx");
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    Part(zip, "[Content_Types].xml", """
                        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
                        """);
                    Part(zip, "_rels/.rels", $"""
                        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                        <Relationships xmlns="{PackageRelationships}"><Relationship Id="rId1" Type="{Relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>
                        """);
                    Part(zip, "xl/_rels/workbook.xml.rels", $"""
                        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                        <Relationships xmlns="{PackageRelationships}"><Relationship Id="rId1" Type="{Relationships}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{Relationships}/styles" Target="styles.xml"/></Relationships>
                        """);
                    var sheetName = SecurityElementEscape(SheetName(table.Name));
                    Part(zip, "xl/workbook.xml", $"""
                        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                        <workbook xmlns="{Main}" xmlns:r="{Relationships}"><sheets><sheet name="{sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>
                        """);
                    // Style 1: bold, for the header row.
                    Part(zip, "xl/styles.xml", $"""
                        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                        <styleSheet xmlns="{Main}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
                        """);
                    var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest);
                    using (var sheet = entry.Open())
                    using (var xml = XmlWriter.Create(sheet, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
                    {
                        xml.WriteStartDocument(standalone: true);
                        xml.WriteStartElement("worksheet", Main);
                        xml.WriteStartElement("sheetData", Main);
                        var rowNumber = 1;
                        WriteRow(xml, rowNumber, table.Columns.Cast<object?>().ToArray(), header: true);
                        await foreach (var row in table.Rows.WithCancellation(ct))
                        {
                            WriteRow(xml, ++rowNumber, row, header: false);
                        }
                        xml.WriteEndElement();
                        xml.WriteEndElement();
                        xml.WriteEndDocument();
                    }
                }
                file.Position = 0;
                await file.CopyToAsync(output, ct);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Part(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(new UTF8Encoding(false).GetBytes(content));
    }

    private static void WriteRow(XmlWriter xml, int rowNumber, object?[] values, bool header)
    {
        var r = rowNumber.ToString(CultureInfo.InvariantCulture);
        xml.WriteStartElement("row", Main);
        xml.WriteAttributeString("r", r);
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value is null)
            {
                continue;
            }
            xml.WriteStartElement("c", Main);
            xml.WriteAttributeString("r", ColumnName(i) + r);
            if (header)
            {
                xml.WriteAttributeString("s", "1");
            }
            if (value is not string && ExportTable.FitsSpreadsheetNumber(value))
            {
                xml.WriteAttributeString("t", "n");
                xml.WriteElementString("v", Main, CsvExport.Format(value, german: false));
            }
            else
            {
                xml.WriteAttributeString("t", "inlineStr");
                xml.WriteStartElement("is", Main);
                xml.WriteStartElement("t", Main);
                xml.WriteAttributeString("xml", "space", null, "preserve");
                xml.WriteString(XmlSafe(value as string ?? CsvExport.Format(value, german: false)));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    /// <summary>A, B, …, Z, AA, AB, …</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }
        return name;
    }

    /// <summary>Sheet names: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Select(c => c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' ? '-' : c).ToArray());
        return clean.Length > 31 ? clean[..31] : clean;
    }

    private static string SecurityElementEscape(string text) => System.Security.SecurityElement.Escape(XmlSafe(text));

    /// <summary>Characters XML 1.0 cannot carry (control characters, lone surrogates) become U+FFFD.</summary>
    private static string XmlSafe(string text)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = XmlConvert.IsXmlChar(c);
            if (!ok && char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (!ok && clean is null)
            {
                clean = new StringBuilder(text.Length).Append(text, 0, i);
            }
            clean?.Append(ok ? c : '\uFFFD');
        }
        return clean?.ToString() ?? text;
    }
}
