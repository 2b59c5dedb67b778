namespace Mitreden.Voting.Api.Counting;

/// <summary>Score and number of votes of one option.</summary>
public readonly record struct OptionTally(long Score, long Votes);

/// <summary>
/// Per-option scores, vote counts and (ranking) pairwise preferences, plus the number of voters.
/// Used for the whole count and for deltas (which may be negative); zero entries mean "no change".
/// </summary>
public sealed class Tally
{
    public Dictionary<Guid, OptionTally> Options { get; } = new();

    /// <summary>(winner, loser) → number of voters preferring winner over loser.</summary>
    public Dictionary<(Guid Winner, Guid Loser), long> Pairwise { get; } = new();

    public long Voters { get; set; }

    public void Add(Guid option, long score, long votes)
    {
        var current = Options.GetValueOrDefault(option);
        Options[option] = new OptionTally(current.Score + score, current.Votes + votes);
    }

    public void AddPair(Guid winner, Guid loser, long count)
    {
        var key = (winner, loser);
        Pairwise[key] = Pairwise.GetValueOrDefault(key) + count;
    }

    public OptionTally this[Guid option] => Options.GetValueOrDefault(option);

    public long Prefer(Guid winner, Guid loser) => Pairwise.GetValueOrDefault((winner, loser));

    /// <summary>Entries that are not all zero (what has to be written for a delta).</summary>
    public IEnumerable<KeyValuePair<Guid, OptionTally>> NonZeroOptions() =>
        Options.Where(o => o.Value.Score != 0 || o.Value.Votes != 0);

    public IEnumerable<KeyValuePair<(Guid Winner, Guid Loser), long>> NonZeroPairs() =>
        Pairwise.Where(p => p.Value != 0);

    public void AddAll(Tally other)
    {
        Voters += other.Voters;
        foreach (var (option, value) in other.Options)
        {
            Add(option, value.Score, value.Votes);
        }
        foreach (var (pair, count) in other.Pairwise)
        {
            AddPair(pair.Winner, pair.Loser, count);
        }
    }

    /// <summary>Differences against another tally over the given options, as readable lines (empty = identical).</summary>
    public IReadOnlyList<string> Differences(Tally other, IReadOnlyList<Guid> optionIds)
    {
        var lines = new List<string>();
        if (Voters != other.Voters)
        {
            lines.Add($"voters {Voters} != {other.Voters}");
        }
        foreach (var id in optionIds)
        {
            if (this[id] != other[id])
            {
                lines.Add($"option {id}: score {this[id].Score}/{other[id].Score}, votes {this[id].Votes}/{other[id].Votes}");
            }
        }
        foreach (var a in optionIds)
        {
            foreach (var b in optionIds)
            {
                if (a != b && Prefer(a, b) != other.Prefer(a, b))
                {
                    lines.Add($"pairwise {a}>{b}: {Prefer(a, b)} != {other.Prefer(a, b)}");
                }
            }
        }
        return lines;
    }
}
