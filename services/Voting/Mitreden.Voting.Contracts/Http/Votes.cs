namespace Mitreden.Voting.Contracts.Http;

// The vote path's HTTP types, owned by Voting and read by the web (additive changes only, like the events).

/// <summary>A vote as citizens send it: "selected" (support, approval, budget), "points" (scoring, cumulative) or "ranking".</summary>
public sealed record CastVoteRequest(
    IReadOnlyList<Guid>? Selected = null,
    IReadOnlyDictionary<Guid, int>? Points = null,
    IReadOnlyList<Guid>? Ranking = null);

/// <param name="Status">"pending" (accepted, still in the queue) or "counted".</param>
public sealed record VoteReceipt(Guid VoteId, long Sequence, string ReceiptHash, string Status);

/// <summary>The choices of one vote, in the field of its method (the others are null).</summary>
public sealed record VoteChoices(IReadOnlyList<Guid>? Selected, IReadOnlyDictionary<Guid, int>? Points, IReadOnlyList<Guid>? Ranking);

/// <summary>"none", "pending" (still in the queue) or "counted".</summary>
public sealed record MyVote(string Status, VoteChoices? Choices, VoteReceipt? Receipt, DateTimeOffset? CastAt);

/// <summary>What a receipt proves, never which choices it holds.</summary>
/// <param name="Status">"pending", "counted", "superseded" or "rejected".</param>
public sealed record ReceiptStatus(Guid BallotId, string ReceiptHash, string Status, string? Reason);

/// <summary>
/// The stable codes of a refused vote's field error (a 422's <c>errorCodes["choices"]</c>, the first rule the vote broke), so
/// a client can say it in its own language; Voting's own messages (in <c>errors</c>) are German.
/// </summary>
public static class VoteErrorCodes
{
    /// <summary>The request has no choices in the field of the ballot's method ("selected", "points" or "ranking").</summary>
    public const string Missing = "vote-choices-missing";
    /// <summary>An option is chosen (or ranked) twice.</summary>
    public const string Duplicate = "vote-duplicate-option";
    public const string UnknownOption = "vote-unknown-option";
    /// <summary>Support, approval, budget: an option is chosen or not (value 1), nothing else.</summary>
    public const string NotASelection = "vote-not-a-selection";
    public const string TooFew = "vote-too-few";
    public const string TooMany = "vote-too-many";
    public const string OverBudget = "vote-over-budget";
    public const string ScoreOutOfRange = "vote-score-out-of-range";
    public const string NegativePoints = "vote-negative-points";
    public const string TooManyPointsPerOption = "vote-too-many-points-per-option";
    public const string TooManyPoints = "vote-too-many-points";
    public const string NoPoints = "vote-no-points";
    /// <summary>Ranking: the positions are not 1..n without gaps and ties.</summary>
    public const string RankingGaps = "vote-ranking-gaps";
    /// <summary>Ranking without partial rankings: not every option is ranked.</summary>
    public const string RankingIncomplete = "vote-ranking-incomplete";
    public const string UnknownMethod = "vote-unknown-method";
    /// <summary>The Idempotency-Key was used before for other choices.</summary>
    public const string IdempotencyKeyReused = "vote-idempotency-key-reused";

    public static readonly IReadOnlyList<string> All =
    [
        Missing, Duplicate, UnknownOption, NotASelection, TooFew, TooMany, OverBudget, ScoreOutOfRange, NegativePoints, TooManyPointsPerOption,
        TooManyPoints, NoPoints, RankingGaps, RankingIncomplete, UnknownMethod, IdempotencyKeyReused,
    ];
}
