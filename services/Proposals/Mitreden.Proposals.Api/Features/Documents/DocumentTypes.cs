using System.IO.Compression;
using System.Text;

namespace Mitreden.Proposals.Api.Features.Documents;

/// <param name="Kind">Short name, also what the API reports.</param>
/// <param name="Extensions">File name endings that fit the content (lower case, with the dot).</param>
public sealed record DocumentType(string Kind, string ContentType, string Label, params string[] Extensions);

/// <summary>
/// The kinds of file a process may hold, recognised from their bytes — never from the name or the type the browser
/// claims. PDF, PNG and JPEG by their signatures; office documents (OOXML and OpenDocument) by the parts inside their
/// ZIP container. Office files with macros are refused, and so are the old binary Office formats.
/// </summary>
public static class DocumentTypes
{
    public static readonly DocumentType Pdf = new("pdf", "application/pdf", "PDF", ".pdf");
    public static readonly DocumentType Png = new("png", "image/png", "PNG-Bild", ".png");
    public static readonly DocumentType Jpeg = new("jpeg", "image/jpeg", "JPEG-Bild", ".jpg", ".jpeg");
    public static readonly DocumentType Docx = new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word-Dokument", ".docx");
    public static readonly DocumentType Xlsx = new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel-Tabelle", ".xlsx");
    public static readonly DocumentType Pptx = new("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint-Präsentation", ".pptx");
    public static readonly DocumentType Odt = new("odt", "application/vnd.oasis.opendocument.text", "OpenDocument-Text", ".odt");
    public static readonly DocumentType Ods = new("ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument-Tabelle", ".ods");
    public static readonly DocumentType Odp = new("odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument-Präsentation", ".odp");

    public static readonly IReadOnlyList<DocumentType> All = [Pdf, Png, Jpeg, Docx, Xlsx, Pptx, Odt, Ods, Odp];

    public static DocumentType? ByKind(string kind) => All.FirstOrDefault(t => t.Kind == kind);

    /// <summary>What the bytes are, or why they are refused.</summary>
    public static (DocumentType? Type, string? Refusal) Detect(byte[] content)
    {
        ReadOnlySpan<byte> head = content;
        if (head.StartsWith("%PDF-"u8))
        {
            return (Pdf, null);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return (Png, null);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return (Jpeg, null);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return (null, "Alte Office-Formate (.doc, .xls, .ppt) werden nicht angenommen; bitte als PDF oder im aktuellen Format (.docx, .xlsx, .pptx) speichern.");
        }
        if (head.StartsWith("PK\x03\x04"u8))
        {
            return DetectContainer(content);
        }
        return (null, "Diese Art von Datei wird nicht angenommen. Erlaubt sind: " + string.Join(", ", All.Select(t => t.Label)) + ".");
    }

    private static (DocumentType?, string?) DetectContainer(byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (names.Any(n => n.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
            {
                return (null, "Office-Dateien mit Makros werden nicht angenommen.");
            }
            if (names.Contains("[Content_Types].xml"))
            {
                if (names.Contains("word/document.xml"))
                {
                    return (Docx, null);
                }
                if (names.Contains("xl/workbook.xml"))
                {
                    return (Xlsx, null);
                }
                if (names.Contains("ppt/presentation.xml"))
                {
                    return (Pptx, null);
                }
            }
            // OpenDocument: the first entry "mimetype" holds the type as plain text.
            if (zip.GetEntry("mimetype") is { Length: > 0 and < 100 } entry)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.ASCII);
                var mime = reader.ReadToEnd().Trim();
                if (All.FirstOrDefault(t => t.Kind.StartsWith('o') && t.ContentType == mime) is { } odf)
                {
                    return (odf, null);
                }
            }
        }
        catch (InvalidDataException)
        {
            return (null, "Die Datei ist beschädigt (ein ZIP-Container, der sich nicht lesen lässt).");
        }
        return (null, "ZIP-Archive werden nur als Office-Dokumente angenommen (.docx, .xlsx, .pptx, .odt, .ods, .odp).");
    }
}
