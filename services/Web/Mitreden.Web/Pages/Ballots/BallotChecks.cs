using Mitreden.Web.Api;

namespace Mitreden.Web.Pages.Ballots;

/// <summary>A rule a vote breaks: the text key and its arguments (localized by the page).</summary>
public sealed record BallotViolation(string Key, params object[] Arguments);

/// <summary>
/// The ballot's rules checked before the vote goes to Voting (which checks them again): the page can then say in the
/// visitor's language what to change, next to the choices, instead of passing on a service message.
/// </summary>
public static class BallotChecks
{
    public static IReadOnlyList<BallotViolation> Check(Ballot ballot, CastVoteRequest vote)
    {
        var errors = new List<BallotViolation>();
        var options = ballot.Options.Select(o => o.OptionId).ToHashSet();
        switch (ballot.Method)
        {
            case "support" or "approval" or "budget":
            {
                var selected = vote.Selected ?? [];
                if (selected.Any(s => !options.Contains(s)))
                {
                    errors.Add(new("Vote_UnknownOption"));
                }
                if (ballot.MaxSelections is { } max && selected.Count > max)
                {
                    errors.Add(new("Vote_TooMany", max, selected.Count));
                }
                var min = ballot.MinSelections ?? (ballot.Method == "approval" ? 1 : 0);
                if (selected.Count < min)
                {
                    errors.Add(new("Vote_TooFew", min));
                }
                if (ballot.Method == "budget" && ballot.Budget is { } budget)
                {
                    var total = ballot.Options.Where(o => selected.Contains(o.OptionId)).Sum(o => o.Cost ?? 0);
                    if (total > budget)
                    {
                        errors.Add(new("Vote_OverBudget", total, budget));
                    }
                }
                break;
            }
            case "scoring":
            {
                var points = vote.Points ?? new Dictionary<Guid, int>();
                var maxScore = ballot.MaxScore ?? 5;
                if (points.Keys.Any(k => !options.Contains(k)))
                {
                    errors.Add(new("Vote_UnknownOption"));
                }
                if (points.Values.Any(v => v < 0 || v > maxScore))
                {
                    errors.Add(new("Vote_ScoreRange", maxScore));
                }
                if (points.Count == 0)
                {
                    errors.Add(new("Vote_NothingChosen"));
                }
                break;
            }
            case "cumulative":
            {
                var points = vote.Points ?? new Dictionary<Guid, int>();
                if (points.Keys.Any(k => !options.Contains(k)))
                {
                    errors.Add(new("Vote_UnknownOption"));
                }
                if (points.Values.Any(v => v < 0))
                {
                    errors.Add(new("Vote_NegativeDots"));
                }
                var used = points.Values.Where(v => v > 0).Sum();
                if (ballot.Dots is { } dots && used > dots)
                {
                    errors.Add(new("Vote_TooManyDots", dots, used));
                }
                if (ballot.MaxDotsPerOption is { } perOption && points.Values.Any(v => v > perOption))
                {
                    errors.Add(new("Vote_TooManyDotsPerOption", perOption));
                }
                if (used == 0)
                {
                    errors.Add(new("Vote_NothingChosen"));
                }
                break;
            }
            case "ranking":
            {
                var ranking = vote.Ranking ?? [];
                if (ranking.Any(r => !options.Contains(r)) || ranking.Distinct().Count() != ranking.Count)
                {
                    errors.Add(new("Vote_UnknownOption"));
                }
                if (!ballot.AllowPartialRanking && ranking.Distinct().Count() != options.Count)
                {
                    errors.Add(new("Vote_RankAll"));
                }
                if (ranking.Count == 0)
                {
                    errors.Add(new("Vote_NothingChosen"));
                }
                break;
            }
        }
        return errors;
    }

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
    public static List<Guid> CompleteRanking(Ballot ballot, IReadOnlyList<Guid>? ranking)
    {
        var known = ballot.Options.Select(o => o.OptionId).ToHashSet();
        var list = (ranking ?? []).Where(known.Contains).Distinct().ToList();
        list.AddRange(ballot.Options.OrderBy(o => o.Position).Select(o => o.OptionId).Where(id => !list.Contains(id)));
        return list;
    }
}
