using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Domain;

public static class BallotResults
{
    public static ResultsView Compute(BallotSnapshot ballot, Tally online, IReadOnlyDictionary<Guid, decimal> inPerson,
        long inPersonParticipants, DateTimeOffset now)
    {
        var options = ballot.Options;
        var totals = options.Select(o => online[o.OptionId].Score + inPerson.GetValueOrDefault(o.OptionId)).ToList();
        var ranks = Outcome.CompetitionRanks(totals);
        IReadOnlySet<Guid>? funded = ballot.Method == VotingMethod.Budget && ballot.Rules.Budget is { } budget
            ? Outcome.GreedyBudget(ballot.Rules.OptionIds, id => online[id].Score + inPerson.GetValueOrDefault(id), ballot.Rules.Costs, budget)
            : null;

        var views = options.Select((o, i) =>
        {
            var tally = online[o.OptionId];
            return new OptionResultView(o.OptionId, o.ItemId, o.Title, o.Cost, tally.Score, tally.Votes,
                inPerson.GetValueOrDefault(o.OptionId), totals[i], ranks[i], ranks.Count(r => r == ranks[i]) > 1,
                ballot.Method == VotingMethod.Scoring && tally.Votes > 0 ? Math.Round((double)tally.Score / tally.Votes, 2) : null,
                funded?.Contains(o.OptionId));
        }).OrderBy(v => v.Rank).ToList();

        Guid? condorcet = null;
        List<SchulzePlace>? schulze = null;
        if (ballot.Method == VotingMethod.Ranking)
        {
            var ids = ballot.Rules.OptionIds;
            condorcet = Outcome.CondorcetWinner(ids, online.Prefer);
            var places = Outcome.SchulzeRanks(ids, online.Prefer);
            schulze = ids.Select((id, i) => new SchulzePlace(id, places[i])).OrderBy(p => p.Rank).ToList();
        }

        var state = ballot.StateAt(now);
        return new ResultsView(ballot.Id, ballot.Method, state, state == BallotState.Closed,
            online.Voters, inPersonParticipants, views, condorcet, schulze, ballot.FinalDigest, now,
            state == BallotState.Closed ? ballot.ResultVersion : null, state == BallotState.Closed ? ballot.ResultCorrectedAt : null);
    }

    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
