namespace Mitreden.Voting.Contracts.Http;

// Ballots: Voting's HTTP types, owned by Voting and read by the web (additive changes only, like the events).
// Enums travel as kebab-case strings ("after-close", "voting-group").

/// <summary>The voting methods. JSON "support" | "approval" | "scoring" | "ranking" | "cumulative" | "budget".</summary>
public enum VotingMethod
{
    /// <summary>Support options one by one; <see cref="BallotInput.MaxSelections"/> is the optional per-voter limit.</summary>
    Support,
    /// <summary>Choose between <see cref="BallotInput.MinSelections"/> and <see cref="BallotInput.MaxSelections"/> options.</summary>
    Approval,
    /// <summary>Rate options with 0..<see cref="BallotInput.MaxScore"/> points each.</summary>
    Scoring,
    /// <summary>Order options (full, or partial when allowed); counted with Borda, Condorcet and Schulze.</summary>
    Ranking,
    /// <summary>Distribute up to <see cref="BallotInput.Dots"/> dots, at most <see cref="BallotInput.MaxDotsPerOption"/> per option.</summary>
    Cumulative,
    /// <summary>Choose options whose costs add up to at most <see cref="BallotInput.Budget"/>.</summary>
    Budget,
}

/// <summary>Who sees tallies (and every number derived from them) before the ballot is closed.</summary>
public enum ResultVisibility
{
    /// <summary>Everyone, live.</summary>
    Live,
    /// <summary>A voter, once they have voted.</summary>
    AfterVote,
    /// <summary>Nobody, not even staff, until the final result is stored.</summary>
    AfterClose,
}

/// <summary>Who may vote. JSON "verified" | "resident" | "voting-group".</summary>
public enum EligibilityKind
{
    /// <summary>Any account with a confirmed e-mail address or a verified residence.</summary>
    Verified,
    /// <summary>Verified residents, optionally of one district.</summary>
    Resident,
    /// <summary>Holders of a voting code of one group (e.g. council members).</summary>
    VotingGroup,
}

/// <summary>What a caller sees of a ballot's life cycle at a given moment. JSON "draft" | "scheduled" | "open" | "closing" | "closed".</summary>
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

/// <param name="State">Voting's view at the time of the request.</param>
public sealed record BallotView(
    Guid Id, Guid ProcessId, Guid? PhaseId, string Title, string? Description, VotingMethod Method,
    IReadOnlyList<OptionView> Options,
    int? MinSelections, int? MaxSelections, int? MaxScore, int? Dots, int? MaxDotsPerOption, decimal? Budget, bool AllowPartialRanking,
    EligibilityInput Eligibility, ResultVisibility Visibility, bool FollowsPhase,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, BallotState State, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt,
    long? FinalVotes, string? FinalDigest);

/// <summary>Whether the caller may vote in a ballot (its eligibility rule only).</summary>
/// <param name="Reason">Why not, as a stable code: verification-required, residence-required, district-mismatch, voting-group-required.</param>
/// <param name="Message">Why not, in German.</param>
/// <param name="Rule">Who may vote.</param>
public sealed record MyEligibility(Guid BallotId, bool MayVote, string? Reason, string? Message, EligibilityInput Rule);
