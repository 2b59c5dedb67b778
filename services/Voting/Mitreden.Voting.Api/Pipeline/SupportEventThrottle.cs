using System.Collections.Concurrent;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Contracts;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>
/// ItemSupportChanged only for ballots whose results are public live (support and approval), at most once per
/// interval per ballot; what was held back is flushed when due.
/// </summary>
public sealed class SupportEventThrottle(VotingOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastEmitted = new();
    private readonly ConcurrentDictionary<Guid, byte> _dirty = new();

    public static bool Applies(BallotSnapshot ballot) =>
        ballot.Visibility == ResultVisibility.Live
        && ballot.Method is VotingMethod.Support or VotingMethod.Approval
        && ballot.Status != BallotStatus.Closed
        && ballot.Options.Any(o => o.ItemId is not null);

    /// <summary>Citizens' support and a closed group's (voting-code) votes are shown apart, never added together.</summary>
    public static string Electorate(BallotSnapshot ballot) =>
        ballot.Eligibility == EligibilityKind.VotingGroup ? SupportElectorates.VotingGroup : SupportElectorates.Citizens;

    public bool IsDue(Guid ballotId) =>
        !_lastEmitted.TryGetValue(ballotId, out var last) || time.GetUtcNow() - last >= options.SupportEventInterval;

    public void MarkDirty(Guid ballotId) => _dirty[ballotId] = 0;

    public void Emitted(Guid ballotId)
    {
        _lastEmitted[ballotId] = time.GetUtcNow();
        _dirty.TryRemove(ballotId, out _);
    }

    public IReadOnlyList<Guid> DueDirty() => _dirty.Keys.Where(IsDue).ToList();
}
