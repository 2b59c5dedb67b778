using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Domain;

public sealed record OptionSnapshot(Guid OptionId, Guid? ItemId, string Title, decimal? Cost, int Position);

/// <summary>An immutable copy of a ballot for the hot path (votes, results) — served from memory.</summary>
public sealed record BallotSnapshot(
    Guid Id, Guid ProcessId, Guid? PhaseId, string Title, string? Description, VotingMethod Method,
    BallotRules Rules, IReadOnlyList<OptionSnapshot> Options,
    EligibilityKind Eligibility, string? EligibleDistrict, Guid? VotingGroupId, string? VotingGroupName,
    ResultVisibility Visibility, bool FollowsPhase, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt,
    BallotStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, long? FinalVotes, string? FinalDigest,
    PhaseGate? Phase = null, int? ResultVersion = null, DateTimeOffset? ResultCorrectedAt = null)
{
    /// <param name="phase">The copy of the ballot's phase, when Voting knows it.</param>
    public static BallotSnapshot From(Ballot b, PhaseCopy? phase = null)
    {
        var options = b.Options.OrderBy(o => o.Position)
            .Select(o => new OptionSnapshot(o.OptionId, o.ItemId, o.Title, o.Cost, o.Position)).ToList();
        return new BallotSnapshot(b.Id, b.ProcessId, b.PhaseId, b.Title, b.Description, b.Method, RulesOf(b, options), options,
            b.Eligibility, b.EligibleDistrict, b.VotingGroupId, b.VotingGroupName, b.Visibility, b.FollowsPhase,
            b.OpensAt, b.ClosesAt, b.Status, b.CreatedAt, b.ClosedAt, b.FinalVotes, b.FinalDigest,
            phase is null ? null : new PhaseGate(phase.Voting, phase.SwitchesAsOf, phase.EndedAt), b.ResultVersion, b.ResultCorrectedAt);
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

    /// <summary>Why the ballot's phase refuses a vote cast at <paramref name="at"/> (see <see cref="PhaseGate.Refusal"/>).</summary>
    public string? PhaseRefusalAt(DateTimeOffset at) => Phase?.Refusal(at);
}

/// <summary>
/// What a ballot's phase, as Proposals published it, says about voting. The one rule for the vote API (at the time of
/// the request) and the vote consumer (at the time the vote was cast).
/// </summary>
public sealed record PhaseGate(bool Voting, DateTimeOffset SwitchesAsOf, DateTimeOffset? EndedAt)
{
    public const string VotingOff = "voting-off";
    public const string PhaseEnded = "phase-ended";

    /// <summary>"phase-ended", "voting-off" or null when the phase lets a vote cast at <paramref name="at"/> count.</summary>
    public string? Refusal(DateTimeOffset at) =>
        EndedAt is { } ended && at >= ended ? PhaseEnded
        : !Voting && at >= SwitchesAsOf ? VotingOff
        : null;

    public static string Message(string refusal) => refusal == PhaseEnded
        ? "Die Beteiligungsphase dieser Abstimmung ist beendet; Stimmen können nicht mehr abgegeben werden."
        : "Das Abstimmen ist in der laufenden Beteiligungsphase ausgeschaltet; Stimmen können gerade nicht abgegeben werden.";
}
