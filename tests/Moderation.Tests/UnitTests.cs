using Mitreden.Moderation.Api.Features.Decide;
using Mitreden.Moderation.Api.Features.Queue;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Tests;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Du VOLLIDIOT!", "du vollidiot")]
    [InlineData("V0ll1d10t", "vollidiot")]
    [InlineData("@r$chl0ch", "arschloch")]
    [InlineData("Größe   Übel, Ärger", "groesse uebel aerger")]
    [InlineData("Café naïve", "cafe naive")]
    [InlineData("Im Jahr 2026 kostet es 1,5 Mio.", "im jahr 2026 kostet es 1 5 mio")]
    public void Normalize_FoldsCaseUmlautsAndLeetspeak(string text, string expected) =>
        TextNormalizer.Normalize(text).Should().Be(expected);

    [Fact]
    public void Hash_IsEqualForTextsThatOnlyDifferInCaseAndPunctuation() =>
        TextNormalizer.Hash(TextNormalizer.Normalize("Jetzt unterschreiben!!!")).Should()
            .Be(TextNormalizer.Hash(TextNormalizer.Normalize("jetzt   UNTERSCHREIBEN")));
}

public sealed class TextScreeningTests
{
    private static readonly WordRule Words = new(true, FlagSeverity.Hold, ["Arschloch", "halt die Fresse", "Idiot"], ["kill yourself"]);

    [Theory]
    [InlineData("So ein Arschl0ch.", "arschloch")]
    [InlineData("Halt  die FRESSE!", "halt die fresse")]
    [InlineData("just KILL yourself", "kill yourself")]
    public void MatchedWords_FindsWholeWordsAndPhrases(string text, string expected) =>
        TextScreening.MatchedWords(Words, text).Should().Equal(expected);

    [Theory]
    [InlineData("Idiotensicher geplant.")]
    [InlineData("Die Idiotie der Planung")]
    [InlineData("Halt, die Fresse... nein.")]
    public void MatchedWords_IgnoresPartsOfOtherWords(string text)
    {
        // "halt die fresse" with punctuation in between still reads as the phrase; the others are different words.
        var matched = TextScreening.MatchedWords(Words, text);
        if (text.StartsWith("Halt", StringComparison.Ordinal))
        {
            matched.Should().Equal("halt die fresse");
        }
        else
        {
            matched.Should().BeEmpty();
        }
    }

    [Theory]
    [InlineData("Kein Link hier, z.B. usw. etc.", 0)]
    [InlineData("Siehe https://www.leverkusen.de/isek und www.example.org", 2)]
    [InlineData("spam.ru shop.xyz/deal http://x.example.com/a?b=c", 3)]
    public void CountLinks_CountsUrlsAndBareDomains(string text, int expected) =>
        TextScreening.CountLinks(text).Should().Be(expected);

    [Fact]
    public void Screen_FlagsOnlyAboveTheLinkLimit()
    {
        var rules = new ScreeningOptions().ToRules() with { Links = new LinkRule(true, FlagSeverity.Queue, 1) };

        TextScreening.Screen(rules, "www.a.de").Should().BeEmpty();
        TextScreening.Screen(rules, "www.a.de www.b.de").Should().ContainSingle().Which.Rule.Should().Be(ScreeningRuleNames.Links);
    }
}

public sealed class ScreeningRulesTests
{
    [Fact]
    public void Defaults_AreValid_AndSurviveStorage()
    {
        var rules = new ScreeningOptions().ToRules();

        rules.Validate().Should().BeEmpty();
        ScreeningRulesChecks.FromJson(rules.ToJson()).Should().BeEquivalentTo(rules);
    }

    [Fact]
    public void Validate_ReportsEveryBadValue()
    {
        var defaults = new ScreeningOptions().ToRules();
        var bad = defaults with
        {
            Words = defaults.Words with { German = ["ok", "!!!"] },
            Links = defaults.Links with { MaxLinks = -1 },
            PostingRate = defaults.PostingRate with { WindowMinutes = 0 },
        };

        bad.Validate().Keys.Should().BeEquivalentTo(["words.german", "links.maxLinks", "postingRate.windowMinutes"]);
    }
}

public sealed class QueueCursorTests
{
    [Fact]
    public void Encode_RoundTripsAtMicrosecondPrecision()
    {
        var cursor = new QueueCursor(3, new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), 42);

        QueueCursor.TryDecode(cursor.Encode(), out var decoded).Should().BeTrue();

        decoded.Should().Be(cursor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("MS4xLjI")]
    public void TryDecode_RejectsGarbage(string value) => QueueCursor.TryDecode(value, out _).Should().BeFalse();
}

public sealed class DecisionValidationTests
{
    [Fact]
    public void Validate_HideNeedsReasonAndNote() =>
        DecisionsApi.Validate(new DecisionRequest(DecisionKind.Hide, 0)).Keys.Should().BeEquivalentTo(["reason", "noteToAuthor"]);

    [Fact]
    public void Validate_ApproveWithoutExtras_IsValid() =>
        DecisionsApi.Validate(new DecisionRequest(DecisionKind.Approve, 2)).Should().BeEmpty();
}

public sealed class ModerationOptionsTests
{
    [Fact]
    public void Bind_ConfigurationSection_ReplacesDefaults()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Moderation:ReportThreshold"] = "5",
                ["Moderation:Screening:Words:German:0"] = "Kuchen",
                ["Moderation:Screening:Words:Severity"] = "queue",
                ["Moderation:Screening:Links:MaxLinks"] = "0",
                ["Moderation:Screening:PostingRate:Enabled"] = "false",
            })
            .Build();
        var options = new ModerationOptions();

        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection(ModerationOptions.Section), options);
        var rules = options.Screening.ToRules();

        options.ReportThreshold.Should().Be(5);
        rules.Words.German.Should().Equal("Kuchen");
        rules.Words.English.Should().Equal(DefaultWords.English);
        rules.Words.Severity.Should().Be(FlagSeverity.Queue);
        rules.Links.MaxLinks.Should().Be(0);
        rules.PostingRate.Enabled.Should().BeFalse();
        rules.RepeatedText.Should().Be(new ScreeningOptions().ToRules().RepeatedText);
    }
}
