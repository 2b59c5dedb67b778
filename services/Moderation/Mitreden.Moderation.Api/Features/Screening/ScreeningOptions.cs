using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Screening;

public sealed class ScreeningOptions
{
    public WordOptions Words { get; set; } = new();
    public LinkOptions Links { get; set; } = new();
    public RepeatedTextOptions RepeatedText { get; set; } = new();
    public PostingRateOptions PostingRate { get; set; } = new();

    public ScreeningRules ToRules() => new(
        new WordRule(Words.Enabled, Words.Severity, Words.German ?? DefaultWords.German, Words.English ?? DefaultWords.English),
        new LinkRule(Links.Enabled, Links.Severity, Links.MaxLinks),
        new RepeatedTextRule(RepeatedText.Enabled, RepeatedText.Severity, RepeatedText.MaxRepeatsByAnyone,
            RepeatedText.MaxRepeatsByAuthor, RepeatedText.WindowMinutes, RepeatedText.MinLength),
        new PostingRateRule(PostingRate.Enabled, PostingRate.Severity, PostingRate.MaxComments, PostingRate.WindowMinutes));

    public sealed class WordOptions
    {
        public bool Enabled { get; set; } = true;
        public FlagSeverity Severity { get; set; } = FlagSeverity.Hold;
        public string[]? German { get; set; }
        public string[]? English { get; set; }
    }

    public sealed class LinkOptions
    {
        public bool Enabled { get; set; } = true;
        public FlagSeverity Severity { get; set; } = FlagSeverity.Queue;
        public int MaxLinks { get; set; } = 2;
    }

    public sealed class RepeatedTextOptions
    {
        public bool Enabled { get; set; } = true;
        public FlagSeverity Severity { get; set; } = FlagSeverity.Hold;
        public int MaxRepeatsByAnyone { get; set; } = 5;
        public int MaxRepeatsByAuthor { get; set; } = 2;
        public int WindowMinutes { get; set; } = 60;
        public int MinLength { get; set; } = 20;
    }

    public sealed class PostingRateOptions
    {
        public bool Enabled { get; set; } = true;
        public FlagSeverity Severity { get; set; } = FlagSeverity.Queue;
        public int MaxComments { get; set; } = 10;
        public int WindowMinutes { get; set; } = 10;
    }
}

/// <summary>Built-in word lists: insults and slurs aimed at people, plus obvious spam words; staff extend them per process.</summary>
public static class DefaultWords
{
    public static readonly string[] German =
    [
        "arschloch", "wichser", "hurensohn", "missgeburt", "vollidiot", "idiot", "spast", "schlampe", "fotze",
        "drecksau", "dreckspack", "bastard", "volksverräter", "untermensch", "halt die fresse", "verpiss dich",
    ];

    public static readonly string[] English =
    [
        "asshole", "motherfucker", "fuck you", "cunt", "retard", "bitch", "moron", "idiot", "bastard",
        "kill yourself", "viagra", "casino bonus",
    ];
}
