using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Api.Features.Ballots;

/// <summary>What a caller sees of a ballot's life cycle at a given moment.</summary>
public enum BallotState
{
    Draft,
    /// <summary>Published, not open yet (or waiting for its phase).</summary>
    Scheduled,
    Open,
    /// <summary>Past its end, final count pending.</summary>
    Closing,
    Closed,
}

public sealed record OptionSnapshot(Guid OptionId, Guid? ItemId, string Title, decimal? Cost, int Position);

/// <summary>An immutable copy of a ballot for the hot path (votes, results) — served from memory.</summary>
public sealed record BallotSnapshot(
    Guid Id, Guid ProcessId, Guid? PhaseId, string Title, string? Description, VotingMethod Method,
    BallotRules Rules, IReadOnlyList<OptionSnapshot> Options,
    EligibilityKind Eligibility, string? EligibleDistrict, Guid? VotingGroupId, string? VotingGroupName,
    ResultVisibility Visibility, bool FollowsPhase, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt,
    BallotStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, long? FinalVotes, string? FinalDigest)
{
    public static BallotSnapshot From(Ballot b)
    {
        var options = b.Options.OrderBy(o => o.Position)
            .Select(o => new OptionSnapshot(o.OptionId, o.ItemId, o.Title, o.Cost, o.Position)).ToList();
        return new BallotSnapshot(b.Id, b.ProcessId, b.PhaseId, b.Title, b.Description, b.Method, RulesOf(b, options), options,
            b.Eligibility, b.EligibleDistrict, b.VotingGroupId, b.VotingGroupName, b.Visibility, b.FollowsPhase,
            b.OpensAt, b.ClosesAt, b.Status, b.CreatedAt, b.ClosedAt, b.FinalVotes, b.FinalDigest);
    }

    public static BallotRules RulesOf(Ballot b, IReadOnlyList<OptionSnapshot> options) => new()
    {
        Method = b.Method,
        OptionIds = options.Select(o => o.OptionId).ToList(),
        Costs = options.Where(o => o.Cost is not null).ToDictionary(o => o.OptionId, o => o.Cost!.Value),
        MinSelections = b.MinSelections,
        MaxSelections = b.MaxSelections,
        MaxScore = b.MaxScore,
        Dots = b.Dots,
        MaxDotsPerOption = b.MaxDotsPerOption,
        Budget = b.Budget,
        AllowPartialRanking = b.AllowPartialRanking,
    };

    public BallotState StateAt(DateTimeOffset now) => Status switch
    {
        BallotStatus.Draft => BallotState.Draft,
        BallotStatus.Closed => BallotState.Closed,
        BallotStatus.Closing => BallotState.Closing,
        _ when OpensAt is null || now < OpensAt => BallotState.Scheduled,
        _ when ClosesAt is { } end && now >= end => BallotState.Closing,
        _ => BallotState.Open,
    };

    public OptionSnapshot? Option(Guid optionId) => Options.FirstOrDefault(o => o.OptionId == optionId);
}
