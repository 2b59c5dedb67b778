using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Mitreden.Web.Tests;

/// <summary>Every text the pages ask for exists in German and English, and both files hold the same keys.</summary>
public sealed partial class ResourceTests
{
    private static readonly string WebProject = FindWebProject();

    private static string FindWebProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "services", "Web", "Mitreden.Web");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        // Built outside the repository (--artifacts-path): fall back to the source path of this file.
        return Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", "services", "Web", "Mitreden.Web"));
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static Dictionary<string, string> Load(string culture) =>
        XDocument.Load(Path.Combine(WebProject, "Resources", $"SharedResource.{culture}.resx")).Root!.Elements("data")
            .ToDictionary(e => e.Attribute("name")!.Value, e => e.Element("value")!.Value);

    [Fact]
    public void Resources_GermanAndEnglish_HaveTheSameKeys()
    {
        var de = Load("de");
        var en = Load("en");

        de.Keys.Except(en.Keys).Should().BeEmpty("every German text needs an English one");
        en.Keys.Except(de.Keys).Should().BeEmpty("every English text needs a German one");
    }

    [Fact]
    public void Resources_EveryLiteralKeyUsedInPagesAndCode_Exists()
    {
        var de = Load("de");
        var used = Directory.EnumerateFiles(WebProject, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => UsedKey().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value))
            .ToHashSet();

        used.Should().NotBeEmpty();
        used.Where(k => !de.ContainsKey(k)).Should().BeEmpty("a missing key shows its name instead of a text");
    }

    [Fact]
    public void Resources_PlaceholdersOfBothLanguages_Match()
    {
        var de = Load("de");
        var en = Load("en");

        de.Where(e => en.TryGetValue(e.Key, out var english) && Placeholders(e.Value) != Placeholders(english))
            .Select(e => e.Key).Should().BeEmpty("string.Format needs the same arguments in both languages");
    }

    private static string Placeholders(string text) =>
        string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal));

    [GeneratedRegex("""(?:T\[|ErrorMessage = |new\()"(?<key>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_-]+)"[,\]\)]""")]
    private static partial Regex UsedKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
