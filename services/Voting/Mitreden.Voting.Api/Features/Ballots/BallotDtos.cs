using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;

namespace Mitreden.Voting.Api.Features.Ballots;

/// <summary>An option: a Proposals item (title and cost taken from the local copy unless given) or free text.</summary>
public sealed record OptionInput(Guid? ItemId = null, string? Title = null, decimal? Cost = null);

public sealed record EligibilityInput(EligibilityKind Kind, string? District = null, Guid? VotingGroupId = null, string? VotingGroupName = null);

/// <summary>Create or (while draft) replace a ballot. Results are hidden until close unless said otherwise.</summary>
public sealed record BallotInput(
    Guid ProcessId,
    string Title,
    VotingMethod Method,
    IReadOnlyList<OptionInput> Options,
    Guid? PhaseId = null,
    string? Description = null,
    int? MinSelections = null,
    int? MaxSelections = null,
    int? MaxScore = null,
    int? Dots = null,
    int? MaxDotsPerOption = null,
    decimal? Budget = null,
    bool AllowPartialRanking = false,
    EligibilityInput? Eligibility = null,
    ResultVisibility Visibility = ResultVisibility.AfterClose,
    bool FollowsPhase = false,
    DateTimeOffset? OpensAt = null,
    DateTimeOffset? ClosesAt = null);

public sealed record ExtendInput(DateTimeOffset ClosesAt);

public sealed record OptionView(Guid OptionId, Guid? ItemId, string Title, decimal? Cost, int Position);

public sealed record BallotView(
    Guid Id, Guid ProcessId, Guid? PhaseId, string Title, string? Description, VotingMethod Method,
    IReadOnlyList<OptionView> Options,
    int? MinSelections, int? MaxSelections, int? MaxScore, int? Dots, int? MaxDotsPerOption, decimal? Budget, bool AllowPartialRanking,
    EligibilityInput Eligibility, ResultVisibility Visibility, bool FollowsPhase,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, string State, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt,
    long? FinalVotes, string? FinalDigest)
{
    public static BallotView From(BallotSnapshot b, DateTimeOffset now) => new(
        b.Id, b.ProcessId, b.PhaseId, b.Title, b.Description, b.Method,
        b.Options.Select(o => new OptionView(o.OptionId, o.ItemId, o.Title, o.Cost, o.Position)).ToList(),
        b.Rules.MinSelections, b.Rules.MaxSelections, b.Rules.MaxScore, b.Rules.Dots, b.Rules.MaxDotsPerOption, b.Rules.Budget,
        b.Rules.AllowPartialRanking,
        new EligibilityInput(b.Eligibility, b.EligibleDistrict, b.VotingGroupId, b.VotingGroupName), b.Visibility, b.FollowsPhase,
        b.OpensAt, b.ClosesAt, BallotResults.Kebab(b.StateAt(now).ToString()), b.CreatedAt, b.ClosedAt, b.FinalVotes, b.FinalDigest);
}
