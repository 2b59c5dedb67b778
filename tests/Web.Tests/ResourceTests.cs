using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Mitreden.Web.Tests;

/// <summary>
/// Every text the pages ask for exists in German and English, and both files hold the same keys: the web's texts, the
/// shared page frame's (Mitreden.Ui, asked as U[...] by the web and Identity's pages) and Identity's pages' (sign-in, voting
/// code, account pages).
/// </summary>
public sealed partial class ResourceTests
{
    private static readonly string WebProject = FindProject("services", "Web", "Mitreden.Web");
    private static readonly string UiProject = FindProject("services", "Shared", "Mitreden.Ui");
    private static readonly string IdentityProject = FindProject("services", "Identity", "Mitreden.Identity.Api");

    private static string FindProject(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, .. parts]);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        // Built outside the repository (--artifacts-path): fall back to the source path of this file.
        return Path.GetFullPath(Path.Combine([SourceDirectory(), "..", "..", .. parts]));
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static Dictionary<string, string> Load(string culture, string project = "", string name = "SharedResource") =>
        XDocument.Load(Path.Combine(project.Length > 0 ? project : WebProject, "Resources", $"{name}.{culture}.resx")).Root!.Elements("data")
            .ToDictionary(e => e.Attribute("name")!.Value, e => e.Element("value")!.Value);

    private static IEnumerable<string> Sources(string project, string? under = null) =>
        Directory.EnumerateFiles(under is null ? project : Path.Combine(project, under), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void SharedFrameAndSignInPages_EveryKeyUsed_ExistsInGermanAndEnglish()
    {
        var ui = (De: Load("de", UiProject, "UiText"), En: Load("en", UiProject, "UiText"));
        var signIn = (De: Load("de", IdentityProject, "SignInText"), En: Load("en", IdentityProject, "SignInText"));
        ui.De.Keys.Should().BeEquivalentTo(ui.En.Keys);
        signIn.De.Keys.Should().BeEquivalentTo(signIn.En.Keys);

        var usedUi = Sources(UiProject).SelectMany(f => UsedUiKey().Matches(File.ReadAllText(f)))
            .Concat(Sources(WebProject).Concat(Sources(IdentityProject, "Pages")).SelectMany(f => UsedFrameKey().Matches(File.ReadAllText(f))))
            .Select(m => m.Groups["key"].Value).ToHashSet();
        usedUi.Should().Contain("ErrorSummary_Title");
        usedUi.Where(k => !ui.De.ContainsKey(k)).Should().BeEmpty("a missing key shows its name instead of a text");

        var usedSignIn = Sources(IdentityProject, "Pages")
            .SelectMany(f => UsedSignInKey().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value)).ToHashSet();
        usedSignIn.Should().Contain("Login_Wrong").And.Contain("Register_NameRequired", "the account pages' models are read too")
            .And.Contain("Password_TooShort");
        usedSignIn.Where(k => !signIn.De.ContainsKey(k)).Should().BeEmpty("a missing key shows its name instead of a text");
    }

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
        // A counted text chosen at run time (Display.Text) has its plural forms instead of the plain key.
        used.Where(k => !de.ContainsKey(k) && !de.ContainsKey(k + "_other")).Should().BeEmpty("a missing key shows its name instead of a text");
    }

    [Fact]
    public void Resources_EveryVoteRuleCode_HasAnEnglishText()
    {
        var en = Load("en");

        Mitreden.Voting.Contracts.Http.VoteErrorCodes.All.Where(code => !en.ContainsKey($"FieldError_{code}"))
            .Should().BeEmpty("an English ballot page says each broken vote rule in its own words (German: Voting's message)");
    }

    [Fact]
    public void Resources_PlaceholdersOfBothLanguages_Match()
    {
        var de = Load("de");
        var en = Load("en");

        de.Where(e => en.TryGetValue(e.Key, out var english) && Placeholders(e.Value) != Placeholders(english))
            .Select(e => e.Key).Should().BeEmpty("string.Format needs the same arguments in both languages");
    }

    [Fact]
    public void Resources_EveryCountedText_HasBothPluralFormsInBothLanguages()
    {
        var de = Load("de");
        var en = Load("en");
        var counted = Directory.EnumerateFiles(WebProject, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => PluralKey().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value))
            .ToHashSet();

        counted.Should().Contain("Item_CommentCount").And.Contain("Moderation_QueueCount");
        foreach (var resources in new[] { de, en })
        {
            counted.Where(k => !resources.ContainsKey(k + "_one") || !resources.ContainsKey(k + "_other"))
                .Should().BeEmpty("Display.Plural picks the _one or the _other form");
            counted.Where(resources.ContainsKey).Should().BeEmpty("a counted text has no form without a count");
        }
    }

    [Theory]
    [InlineData("de", 1, "1 Kommentar")]
    [InlineData("de", 0, "0 Kommentare")]
    [InlineData("de", 2, "2 Kommentare")]
    [InlineData("de", 1200, "1.200 Kommentare")]
    [InlineData("en", 1, "1 comment")]
    [InlineData("en", 3, "3 comments")]
    public void Plural_PicksTheFormByCount_InTheReadersLanguage(string culture, long count, string expected)
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            var text = new Dictionary<string, string>(Load(culture));
            Mitreden.Web.Infrastructure.Display.Plural(new DictionaryLocalizer(text), "Item_CommentCount", count).Should().Be(expected);
            Mitreden.Web.Infrastructure.Display.Text(new DictionaryLocalizer(text), "MyVote_SelectedCount", 1).Should().NotContain("Optionen").And.NotContain("options");
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }

    private sealed class DictionaryLocalizer(Dictionary<string, string> texts) : Microsoft.Extensions.Localization.IStringLocalizer
    {
        public Microsoft.Extensions.Localization.LocalizedString this[string name] =>
            new(name, texts.GetValueOrDefault(name) ?? name, !texts.ContainsKey(name));

        public Microsoft.Extensions.Localization.LocalizedString this[string name, params object[] arguments] =>
            new(name, string.Format(CultureInfo.CurrentCulture, texts.GetValueOrDefault(name) ?? name, arguments), !texts.ContainsKey(name));

        public IEnumerable<Microsoft.Extensions.Localization.LocalizedString> GetAllStrings(bool includeParentCultures) =>
            texts.Select(t => new Microsoft.Extensions.Localization.LocalizedString(t.Key, t.Value));
    }

    [GeneratedRegex("""Display\.Plural\(T, "(?<key>[A-Za-z0-9_]+)",""")]
    private static partial Regex PluralKey();

    private static string Placeholders(string text) =>
        string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal));

    [GeneratedRegex("""(?:T\[|ErrorMessage = |new\()"(?<key>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_-]+)"[,\]\)]""")]
    private static partial Regex UsedKey();

    [GeneratedRegex("""(?:U\[|text\[)"(?<key>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_-]+)"[,\]\)]""")]
    private static partial Regex UsedUiKey();

    [GeneratedRegex("""U\["(?<key>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_-]+)"[,\]\)]""")]
    private static partial Regex UsedFrameKey();

    [GeneratedRegex("""(?:T\[|[Tt]ext\[)"(?<key>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_-]+)"[,\]\)]""")]
    private static partial Regex UsedSignInKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
