using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Mitreden.ServiceDefaults.Exports;

namespace Mitreden.ServiceDefaults.Tests.Exports;

/// <summary>The export formats on their own, without servers: CSV cells, and an XLSX that common readers open.</summary>
public sealed class ExportFormatTests
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static ExportTable Table(params object?[][] rows) =>
        new("Ergebnis", ["Titel", "Stadtteil", "Differenz", "Gesamt"], rows.ToAsyncEnumerable());

    [Theory]
    [InlineData("csv", ',')]
    [InlineData("csv-de", ';')]
    public async Task CsvExport_FormulaText_NeutralisedWhileNegativeNumbersStayNumbers(string format, char separator)
    {
        var table = Table(["=HYPERLINK(\"http://evil\")", "@mitte", -5L, -2.5m], ["+Radweg", "-nord", 3L, 1.5m], ["\tTab", "\rCR", 0L, 0m]);
        using var output = new MemoryStream();

        await CsvExport.WriteAsync(output, table, format == "csv-de", CancellationToken.None);

        var lines = Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF').Split("\r\n");
        var (negative, positive) = format == "csv-de" ? ("-2,5", "1,5") : ("-2.5", "1.5");
        lines[1].Should().Be($"\"'=HYPERLINK(\"\"http://evil\"\")\"{separator}'@mitte{separator}-5{separator}{negative}");
        lines[2].Should().Be($"'+Radweg{separator}'-nord{separator}3{separator}{positive}");
        lines[3].Should().StartWith($"'\tTab{separator}\"'\r");
    }

    [Fact]
    public async Task CsvExport_FormulaInHeader_Neutralised()
    {
        var table = new ExportTable("Stimmen", ["pseudonym", "=1+1"], AsyncEnumerable.Empty<object?[]>());
        using var output = new MemoryStream();

        await CsvExport.WriteAsync(output, table, german: false, CancellationToken.None);

        Encoding.UTF8.GetString(output.ToArray()).Should().StartWith("pseudonym,'=1+1\r\n");
    }

    [Fact]
    public async Task XlsxExport_Parts_UseTheDefaultNamespaceWithoutPrefix()
    {
        var bytes = await XlsxAsync(Table(["Radweg", "mitte", 1L, 2m]));

        using var zip = new ZipArchive(new MemoryStream(bytes));
        foreach (var name in new[] { "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml" })
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            var text = await reader.ReadToEndAsync();
            text.Should().NotContain("<x:", $"{name} must not prefix the main namespace (ExcelJS refuses it)");
            var root = XDocument.Parse(text).Root!;
            root.Name.NamespaceName.Should().Be(Main);
            root.GetPrefixOfNamespace(Main).Should().BeNull($"{name} declares the main namespace as the default");
        }
        zip.GetEntry("[Content_Types].xml").Should().NotBeNull();
        zip.GetEntry("_rels/.rels").Should().NotBeNull();
    }

    [Fact]
    public async Task XlsxExport_LongIntegerAndText_WrittenAsText_SmallNumbersAsNumbers()
    {
        var bytes = await XlsxAsync(Table(["=1+1", "mitte", 1_234_567_890_123_456_789L, 12.5m]));

        var cells = SheetCells(bytes);
        cells["C2"].Should().Be(("inlineStr", "1234567890123456789"), "19 digits would lose their last digits as a number");
        cells["D2"].Should().Be(("n", "12.5"));
        cells["A2"].Should().Be(("inlineStr", "=1+1"), "an inline string is never a formula");
        cells["A1"].Should().Be(("inlineStr", "Titel"));
    }

    [Fact]
    public void FitsSpreadsheetNumber_FifteenDigits_Fit_SixteenDoNot()
    {
        ExportTable.FitsSpreadsheetNumber(999_999_999_999_999L).Should().BeTrue();
        ExportTable.FitsSpreadsheetNumber(1_000_000_000_000_000L).Should().BeFalse();
        ExportTable.FitsSpreadsheetNumber(-1_000_000_000_000_000L).Should().BeFalse();
        ExportTable.FitsSpreadsheetNumber(12345678901234.5m).Should().BeTrue();
        ExportTable.FitsSpreadsheetNumber(1234567890123456.5m).Should().BeFalse();
    }

    /// <summary>
    /// ExcelJS (npm) is strict about the XLSX it reads; it refused the file DocumentFormat.OpenXml wrote. Runs where
    /// node and npm are installed (exceljs is installed once into a cache directory outside the repository).
    /// </summary>
    [Fact]
    public async Task XlsxExport_OpenedWithExcelJs_ReadsEveryCell()
    {
        if (FindOnPath("node") is null || FindOnPath("npm") is null)
        {
            return; // no Node.js on this machine: the XML checks above still run
        }
        var bytes = await XlsxAsync(Table(["Radweg \"Nord\" & Süd", "mitte", 42L, 2.5m], ["=1+1", null, 1_234_567_890_123_456_789L, -3m]));
        var file = Path.Combine(Path.GetTempPath(), $"mitreden-exceljs-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            var modules = await ExcelJsAsync();
            const string script = """
                const ExcelJS = require('exceljs');
                (async () => {
                  const wb = new ExcelJS.Workbook();
                  await wb.xlsx.readFile(process.argv[1]);
                  const ws = wb.worksheets[0];
                  const rows = [];
                  ws.eachRow({ includeEmpty: true }, r => rows.push(r.values.slice(1)));
                  console.log(JSON.stringify({ name: ws.name, rows }));
                })().catch(e => { console.error(e.message); process.exit(1); });
                """;
            var (exit, stdout, stderr) = await RunAsync("node", ["-e", script, file], modules);
            exit.Should().Be(0, stderr);
            using var json = JsonDocument.Parse(stdout);
            json.RootElement.GetProperty("name").GetString().Should().Be("Ergebnis");
            var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
            rows.Should().HaveCount(3);
            rows[0].EnumerateArray().Select(c => c.GetString()).Should().Equal("Titel", "Stadtteil", "Differenz", "Gesamt");
            rows[1][0].GetString().Should().Be("Radweg \"Nord\" & Süd");
            rows[1][2].GetInt64().Should().Be(42);
            rows[1][3].GetDecimal().Should().Be(2.5m);
            rows[2][0].GetString().Should().Be("=1+1");
            rows[2][2].GetString().Should().Be("1234567890123456789");
            rows[2][3].GetDecimal().Should().Be(-3m);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<byte[]> XlsxAsync(ExportTable table)
    {
        using var output = new MemoryStream();
        await XlsxExport.WriteAsync(output, table, CancellationToken.None);
        return output.ToArray();
    }

    private static Dictionary<string, (string Type, string Value)> SheetCells(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        using var stream = zip.GetEntry("xl/worksheets/sheet1.xml")!.Open();
        XNamespace x = Main;
        return XDocument.Load(stream).Descendants(x + "c").ToDictionary(
            c => (string)c.Attribute("r")!,
            c => ((string?)c.Attribute("t") ?? "n", c.Element(x + "v")?.Value ?? c.Element(x + "is")!.Element(x + "t")!.Value));
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>A directory whose node_modules holds exceljs, installed once per machine.</summary>
    private static async Task<string> ExcelJsAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mitreden-exceljs-4.4.0");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "exceljs")))
        {
            Directory.CreateDirectory(dir);
            var (exit, _, stderr) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--prefix", dir, "exceljs@4.4.0"], dir);
            exit.Should().Be(0, $"npm install exceljs: {stderr}");
        }
        return dir;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string program, string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
