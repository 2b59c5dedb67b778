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
