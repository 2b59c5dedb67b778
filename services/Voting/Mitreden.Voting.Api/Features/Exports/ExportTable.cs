using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Mitreden.Voting.Api.Features.Exports;

/// <summary>A table to export: column names and rows produced while they are read (never all in memory).</summary>
public sealed record ExportTable(string Name, IReadOnlyList<string> Columns, IAsyncEnumerable<object?[]> Rows);

/// <summary>CSV: "csv" is RFC 4180 (comma, invariant numbers); "csv-de" is what German Excel opens directly (UTF-8 BOM, ';', decimal comma).</summary>
public static class CsvExport
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static async Task WriteAsync(Stream output, ExportTable table, bool german, CancellationToken ct)
    {
        var separator = german ? ';' : ',';
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: german), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(separator, table.Columns.Select(c => Escape(c, separator))).AsMemory(), ct);
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
                await writer.WriteAsync(Escape(Format(row[i], german), separator).AsMemory(), ct);
            }
            await writer.WriteAsync("\r\n".AsMemory(), ct);
            if (++rows % 2000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }
        await writer.FlushAsync(ct);
    }

    public static string Format(object? value, bool german) => value switch
    {
        null => "",
        decimal d => d.ToString("0.##########", german ? German : CultureInfo.InvariantCulture),
        double d => d.ToString("0.##########", german ? German : CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Escape(string value, char separator) =>
        value.IndexOfAny([separator, '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

/// <summary>XLSX through OpenXmlWriter (SAX-style): rows go to a temporary file as they are read, then to the response.</summary>
public static class XlsxExport
{
    public static async Task WriteAsync(Stream output, ExportTable table, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mitreden-export-{Guid.NewGuid():N}.xlsx");
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                // OpenXML writes synchronously, so it writes to the file, never to the response.
                using (var document = SpreadsheetDocument.Create(file, SpreadsheetDocumentType.Workbook))
                {
                    var workbook = document.AddWorkbookPart();
                    var sheet = workbook.AddNewPart<WorksheetPart>();
                    using (var writer = OpenXmlWriter.Create(sheet))
                    {
                        writer.WriteStartElement(new Worksheet());
                        writer.WriteStartElement(new SheetData());
                        WriteRow(writer, table.Columns.Cast<object?>().ToArray());
                        await foreach (var row in table.Rows.WithCancellation(ct))
                        {
                            WriteRow(writer, row);
                        }
                        writer.WriteEndElement();
                        writer.WriteEndElement();
                    }
                    workbook.Workbook = new Workbook(new Sheets(new Sheet
                    {
                        Id = workbook.GetIdOfPart(sheet),
                        SheetId = 1,
                        Name = table.Name.Length > 31 ? table.Name[..31] : table.Name,
                    }));
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

    private static void WriteRow(OpenXmlWriter writer, object?[] values)
    {
        writer.WriteStartElement(new Row());
        foreach (var value in values)
        {
            var cell = value switch
            {
                null => new Cell(),
                long or int or decimal or double => new Cell
                {
                    DataType = CellValues.Number,
                    CellValue = new CellValue(CsvExport.Format(value, german: false)),
                },
                _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value.ToString() ?? "")) },
            };
            writer.WriteElement(cell);
        }
        writer.WriteEndElement();
    }
}
