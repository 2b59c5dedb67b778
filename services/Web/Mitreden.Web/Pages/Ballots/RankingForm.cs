using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;

namespace Mitreden.Web.Pages.Ballots;

/// <summary>The ranking form without JavaScript: its order and the up/down buttons (the rules are Voting's).</summary>
public static class RankingForm
{
    /// <summary>Moves one option up or down in a ranking (the no-JavaScript buttons); unknown ids change nothing.</summary>
    public static List<Guid> Move(IReadOnlyList<Guid> ranking, Guid optionId, bool up)
    {
        var list = ranking.ToList();
        var index = list.IndexOf(optionId);
        var target = up ? index - 1 : index + 1;
        if (index < 0 || target < 0 || target >= list.Count)
        {
            return list;
        }
        (list[index], list[target]) = (list[target], list[index]);
        return list;
    }

    /// <summary>The ranking to show: the given order, then any option not in it, in ballot order.</summary>
    public static List<Guid> CompleteRanking(BallotView ballot, IReadOnlyList<Guid>? ranking)
    {
        var known = ballot.Options.Select(o => o.OptionId).ToHashSet();
        var list = (ranking ?? []).Where(known.Contains).Distinct().ToList();
        list.AddRange(ballot.Options.OrderBy(o => o.Position).Select(o => o.OptionId).Where(id => !list.Contains(id)));
        return list;
    }
}
