using System.Globalization;
using System.Text;

namespace Mitreden.Voting.Api.Counting;

/// <summary>One entry of a vote: the option and its value (1 = chosen, points/dots, or the rank position 1..k).</summary>
public readonly record struct Choice(Guid OptionId, int Value);

/// <summary>
/// A vote's choices in canonical form: sorted by option id (ordinal of the "N" form), one entry per option.
/// The canonical text ("&lt;optionId&gt;:&lt;value&gt;,...") is what is stored, hashed into receipts and digests.
/// </summary>
public sealed class Choices : IEquatable<Choices>
{
    private Choices(Choice[] entries) => Entries = entries;

    public IReadOnlyList<Choice> Entries { get; }

    public static readonly Choices Empty = new([]);

    public int Count => Entries.Count;

    /// <summary>Support, approval and budget: the chosen options.</summary>
    public static (Choices? Choices, string? Error) FromSelection(IEnumerable<Guid> selected)
    {
        var list = selected.ToList();
        if (list.Distinct().Count() != list.Count)
        {
            return (null, "Eine Option wurde mehrfach gewählt.");
        }
        return (Create(list.Select(id => new Choice(id, 1))), null);
    }

    /// <summary>Scoring and cumulative: points per option. Zero entries are kept (a score of 0 is a rating).</summary>
    public static (Choices? Choices, string? Error) FromPoints(IEnumerable<KeyValuePair<Guid, int>> points) =>
        (Create(points.Select(p => new Choice(p.Key, p.Value))), null);

    /// <summary>Ranking: the options from first to last; unlisted options are unranked.</summary>
    public static (Choices? Choices, string? Error) FromRanking(IEnumerable<Guid> ranking)
    {
        var list = ranking.ToList();
        if (list.Distinct().Count() != list.Count)
        {
            return (null, "Eine Option steht mehrfach in der Rangfolge.");
        }
        return (Create(list.Select((id, i) => new Choice(id, i + 1))), null);
    }

    public static Choices Create(IEnumerable<Choice> entries)
    {
        var array = entries.ToArray();
        Array.Sort(array, static (a, b) => CompareIds(a.OptionId, b.OptionId));
        return new Choices(array);
    }

    public static int CompareIds(Guid a, Guid b) =>
        string.CompareOrdinal(a.ToString("N"), b.ToString("N"));

    public string ToCanonical()
    {
        var sb = new StringBuilder(Entries.Count * 40);
        for (var i = 0; i < Entries.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(Entries[i].OptionId.ToString("N")).Append(':').Append(Entries[i].Value.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public override string ToString() => ToCanonical();

    /// <summary>Parses the canonical text; throws <see cref="FormatException"/> on anything else.</summary>
    public static Choices Parse(string canonical)
    {
        if (canonical.Length == 0)
        {
            return Empty;
        }
        var parts = canonical.Split(',');
        var entries = new Choice[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var colon = part.IndexOf(':');
            if (colon != 32 || !Guid.TryParseExact(part.AsSpan(0, 32), "N", out var id)
                || !int.TryParse(part.AsSpan(33), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException("Not a canonical choice list.");
            }
            entries[i] = new Choice(id, value);
        }
        var result = Create(entries);
        if (result.ToCanonical() != canonical)
        {
            throw new FormatException("Choice list is not in canonical order.");
        }
        return result;
    }

    /// <summary>Ranking as an ordered option list (first = preferred).</summary>
    public IReadOnlyList<Guid> RankingOrder() => Entries.OrderBy(e => e.Value).Select(e => e.OptionId).ToList();

    public bool Equals(Choices? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => Equals(obj as Choices);

    public override int GetHashCode() => ToCanonical().GetHashCode(StringComparison.Ordinal);
}
