namespace Mitreden.Voting.Contracts.Http;

// Results, result versions and recounts: Voting's HTTP types, read by the web (additive changes only, like the events).

public sealed record OptionResultView(
    Guid OptionId, Guid? ItemId, string Title, decimal? Cost,
    long Online, long OnlineVotes, decimal InPerson, decimal Total, int Rank, bool Tied, double? Average, bool? Funded);

public sealed record SchulzePlace(Guid OptionId, int Rank);

/// <summary>
/// Results of a ballot: online score (method's score: selections, points, dots, Borda points), the number of
/// online votes per option, in-person totals and combined totals, ranked by the combined total (ties share a place).
/// Ranking ballots also show the Condorcet winner (null on a cycle) and the Schulze places of the online votes.
/// </summary>
public sealed record ResultsView(
    Guid BallotId, VotingMethod Method, BallotState State, bool Final, long Voters, long InPersonParticipants,
    IReadOnlyList<OptionResultView> Options, Guid? CondorcetWinner, IReadOnlyList<SchulzePlace>? Schulze,
    string? Digest, DateTimeOffset ComputedAt, int? Version = null, DateTimeOffset? CorrectedAt = null);

/// <summary>A published version of a final result; <c>Current</c> is the one the results show now.</summary>
/// <param name="Kind">"final" (the close) or "correction".</param>
public sealed record ResultVersionView(int Version, string Kind, bool Current, string Digest, string? PreviousDigest,
    DateTimeOffset PublishedAt, string? Reason, long Votes, long InPersonParticipants, IReadOnlyList<OptionResult> Options);

/// <summary>
/// A recount as staff see it. Where results are still hidden, only whether it matched is shown: the number of
/// votes and the differences would reveal participation and interim results.
/// </summary>
public sealed record RecountView(Guid Id, string Kind, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Matches,
    long? Votes, string? Digest, string? Differences);
