namespace Mitreden.Voting.Contracts;

public record BallotOpened(Guid BallotId, Guid ProcessId, Guid? PhaseId, string Title, string Method, DateTimeOffset OpensAt, DateTimeOffset ClosesAt);

/// <param name="Digest">SHA-256 over the sorted final vote set, so a recount can be checked.</param>
public record BallotClosed(Guid BallotId, Guid ProcessId, DateTimeOffset ClosedAt, long Votes, string Digest);

public record OptionResult(Guid OptionId, Guid? ItemId, string Title, decimal Online, decimal InPerson, decimal Total, int? Rank);

/// <param name="PhaseId">The ballot's phase, so a notifier can leave out people who may not see it.</param>
public record ResultPublished(Guid BallotId, Guid ProcessId, string Method, IReadOnlyList<OptionResult> Options, string Digest, DateTimeOffset PublishedAt,
    Guid? PhaseId = null);

/// <summary>Support counts per item for lists in Proposals; only emitted where the ballot's results are visible.</summary>
/// <param name="Electorate">
/// Who voted: <see cref="SupportElectorates.Citizens"/> (accounts) or <see cref="SupportElectorates.VotingGroup"/>
/// (holders of a voting code of a closed group, such as the council). Absent (null) in events from before the field
/// existed, which were all citizens' ballots or counted as such.
/// </param>
public record ItemSupportChanged(Guid ItemId, Guid BallotId, long Supports, DateTimeOffset At, string? Electorate = null);

/// <summary>Values of <see cref="ItemSupportChanged.Electorate"/>.</summary>
public static class SupportElectorates
{
    public const string Citizens = "citizens";
    public const string VotingGroup = "voting-group";
}
