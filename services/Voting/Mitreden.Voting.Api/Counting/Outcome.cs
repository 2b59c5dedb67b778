namespace Mitreden.Voting.Api.Counting;

/// <summary>
/// Turning scores into places. Ties: options with equal values share a place (competition ranking
/// 1, 2, 2, 4) and keep their display order; there is no tie-break by lot, the result shows the tie
/// and staff decide. Condorcet winner: the option that strictly beats every other one pairwise; with a
/// cycle (Condorcet paradox) or a pairwise tie there is none. Schulze: winning-votes strengths, widest
/// paths; options neither of which beats the other share a place.
/// </summary>
public static class Outcome
{
    /// <summary>Places for values (higher is better), in the order of <paramref name="values"/>.</summary>
    public static int[] CompetitionRanks<T>(IReadOnlyList<T> values) where T : IComparable<T>
    {
        var ranks = new int[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var better = 0;
            for (var j = 0; j < values.Count; j++)
            {
                if (values[j].CompareTo(values[i]) > 0)
                {
                    better++;
                }
            }
            ranks[i] = better + 1;
        }
        return ranks;
    }

    public static Guid? CondorcetWinner(IReadOnlyList<Guid> options, Func<Guid, Guid, long> prefer)
    {
        foreach (var a in options)
        {
            if (options.All(b => a == b || prefer(a, b) > prefer(b, a)))
            {
                return a;
            }
        }
        return null;
    }

    /// <summary>The Schulze places (1 = best) per option, in the order of <paramref name="options"/>.</summary>
    public static int[] SchulzeRanks(IReadOnlyList<Guid> options, Func<Guid, Guid, long> prefer)
    {
        var n = options.Count;
        var p = new long[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }
                var dij = prefer(options[i], options[j]);
                var dji = prefer(options[j], options[i]);
                p[i, j] = dij > dji ? dij : 0;
            }
        }
        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                if (i == k)
                {
                    continue;
                }
                for (var j = 0; j < n; j++)
                {
                    if (j != i && j != k)
                    {
                        p[i, j] = Math.Max(p[i, j], Math.Min(p[i, k], p[k, j]));
                    }
                }
            }
        }
        // The Schulze relation is transitive, so "number of options beaten" orders it consistently.
        var wins = new int[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (i != j && p[i, j] > p[j, i])
                {
                    wins[i]++;
                }
            }
        }
        return CompetitionRanks(wins);
    }

    /// <summary>
    /// Budget ballots: fund options greedily by score (highest first; equal scores: cheaper first, then display
    /// order), skipping any that no longer fits — the rule pabulib calls "greedy".
    /// </summary>
    public static IReadOnlySet<Guid> GreedyBudget(IReadOnlyList<Guid> options, Func<Guid, decimal> score,
        IReadOnlyDictionary<Guid, decimal> costs, decimal budget)
    {
        var funded = new HashSet<Guid>();
        var left = budget;
        var order = options.Select((id, index) => (id, index))
            .OrderByDescending(o => score(o.id))
            .ThenBy(o => costs.GetValueOrDefault(o.id))
            .ThenBy(o => o.index);
        foreach (var (id, _) in order)
        {
            var cost = costs.GetValueOrDefault(id);
            if (score(id) > 0 && cost <= left)
            {
                funded.Add(id);
                left -= cost;
            }
        }
        return funded;
    }
}
