using PdfSharp.Fonts;

namespace Mitreden.Proposals.Api.Features.Monitoring;

/// <summary>
/// The one font of the report PDFs: DejaVu Sans (regular and bold) read from a directory, because PDFsharp's own
/// resolver finds fonts on Windows only. Debian's <c>fonts-dejavu-core</c> puts them where the default points; the
/// container image installs that package. PDFsharp allows one resolver per process, so it is set once, here.
/// </summary>
public sealed class ReportFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    public const string DefaultDirectory = "/usr/share/fonts/truetype/dejavu";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();
    private static ReportFonts? installed;
    private readonly string directory;
    private readonly Dictionary<string, byte[]> faces = [];

    private ReportFonts(string directory) => this.directory = directory;

    /// <summary>Sets the resolver for this process on first use; later calls keep the first directory.</summary>
    public static void Install(string? directory)
    {
        lock (Gate)
        {
            if (installed is not null)
            {
                return;
            }
            installed = new ReportFonts(string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory);
            GlobalFontSettings.FontResolver = installed;
        }
    }

    /// <summary>True when both font files are readable (the report answers 503 instead of failing inside PDFsharp).</summary>
    public static bool Available(string? directory)
    {
        var dir = string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory;
        return File.Exists(Path.Combine(dir, Regular + ".ttf")) && File.Exists(Path.Combine(dir, Bold + ".ttf"));
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        // Every family maps to DejaVu Sans; italic is simulated (the report uses none).
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName)
    {
        lock (Gate)
        {
            if (!faces.TryGetValue(faceName, out var bytes))
            {
                bytes = File.ReadAllBytes(Path.Combine(directory, faceName + ".ttf"));
                faces[faceName] = bytes;
            }
            return bytes;
        }
    }
}
