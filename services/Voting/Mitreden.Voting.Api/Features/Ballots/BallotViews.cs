using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Features.Ballots;

internal static class BallotViews
{
    public static BallotView From(BallotSnapshot b, DateTimeOffset now) => new(
        b.Id, b.ProcessId, b.PhaseId, b.Title, b.Description, b.Method,
        b.Options.Select(o => new OptionView(o.OptionId, o.ItemId, o.Title, o.Cost, o.Position)).ToList(),
        b.Rules.MinSelections, b.Rules.MaxSelections, b.Rules.MaxScore, b.Rules.Dots, b.Rules.MaxDotsPerOption, b.Rules.Budget,
        b.Rules.AllowPartialRanking,
        new EligibilityInput(b.Eligibility, b.EligibleDistrict, b.VotingGroupId, b.VotingGroupName), b.Visibility, b.FollowsPhase,
        b.OpensAt, b.ClosesAt, b.StateAt(now), b.CreatedAt, b.ClosedAt, b.FinalVotes, b.FinalDigest);
}
