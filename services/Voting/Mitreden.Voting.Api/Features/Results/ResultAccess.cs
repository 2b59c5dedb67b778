using System.Security.Claims;
using Dapper;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Pipeline;
using Mitreden.Voting.Contracts.Http;
using Npgsql;

namespace Mitreden.Voting.Api.Features.Results;

/// <summary>
/// The one place that decides whether a caller may see numbers of a ballot — results, the live stream, exports,
/// participation counts. Hidden until close means hidden for everyone, staff included.
/// </summary>
public sealed class ResultAccess(VoterKeys voterKeys, VoteAcceptanceStore store, NpgsqlDataSource dataSource, TimeProvider time)
{
    public sealed record Denial(string Message, string Reason);

    public static bool PubliclyVisible(BallotSnapshot ballot, DateTimeOffset now) =>
        ballot.StateAt(now) == BallotState.Closed || ballot.Visibility == ResultVisibility.Live;

    /// <summary>Null when the caller may see the results.</summary>
    public async Task<Denial?> CheckAsync(BallotSnapshot ballot, ClaimsPrincipal user, CancellationToken ct)
    {
        if (PubliclyVisible(ballot, time.GetUtcNow()))
        {
            return null;
        }
        if (ballot.Visibility == ResultVisibility.AfterVote)
        {
            if (user.TryGetUserId(out var userId) && await HasVotedAsync(ballot.Id, userId, ct))
            {
                return null;
            }
            return new Denial("Die Ergebnisse dieser Abstimmung sehen Sie, sobald Sie selbst abgestimmt haben.", "results-after-vote");
        }
        return HiddenUntilClose;
    }

    /// <summary>Bulk exports: only where results are public (live, or after close).</summary>
    public Denial? CheckExport(BallotSnapshot ballot) =>
        PubliclyVisible(ballot, time.GetUtcNow()) ? null : ballot.Visibility == ResultVisibility.AfterVote
            ? new Denial("Die Ergebnisse dieser Abstimmung sind nur für Abstimmende sichtbar; ein Export ist erst nach dem Ende möglich.", "results-hidden-until-close")
            : HiddenUntilClose;

    private static readonly Denial HiddenUntilClose =
        new("Die Ergebnisse dieser Abstimmung bleiben bis zum Ende verborgen – auch Zwischenstände und Beteiligungszahlen.", "results-hidden-until-close");

    private async Task<bool> HasVotedAsync(Guid ballotId, Guid userId, CancellationToken ct)
    {
        var key = voterKeys.For(userId, ballotId);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM current_votes WHERE ballot_id = @ballotId AND voter_key = @key)", new { ballotId, key }))
        {
            return true;
        }
        return await store.PendingAsync(ballotId, VoterKeys.Hex(key)) is not null;
    }
}
