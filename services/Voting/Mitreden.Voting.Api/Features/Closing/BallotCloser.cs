using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Pipeline;
using Mitreden.Voting.Contracts;
using Mitreden.Voting.Contracts.Http;
using Npgsql;

namespace Mitreden.Voting.Api.Features.Closing;

/// <summary>
/// Closes ballots whose end has come (by time or by staff): claims the ballot (status Closing; one instance wins),
/// waits until every vote accepted before the end is consumed (the consumer's count of distinct messages reaches
/// the accepted count — PostgreSQL's (<see cref="AcceptedVotes"/>), or Redis's where that is higher, e.g. while
/// PostgreSQL was away — and at least <see cref="VotingOptions.CloseGrace"/> has passed since the end so votes still
/// waiting for their broker confirm are in), then stores the final result = the recount, with the digest, and
/// publishes BallotClosed and ResultPublished through the outbox. Redis losing its data cannot end the wait early.
/// </summary>
public sealed class BallotCloser(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, BallotCache cache,
    VoteAcceptanceStore acceptance, AcceptedVotes acceptedVotes, TallyNotifier notifier, VotingOptions options, TimeProvider time, ILogger<BallotCloser> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var id in await ClaimAsync(stoppingToken))
                {
                    if (!_running.ContainsKey(id))
                    {
                        _running[id] = Task.Run(() => CloseClaimedAsync(id, stoppingToken), stoppingToken);
                    }
                }
                foreach (var (id, task) in _running)
                {
                    if (task.IsCompleted)
                    {
                        _running.TryRemove(id, out _);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Looking for ballots to close failed; retrying");
            }
            await ((Task)_wake.WaitAsync(options.CloserInterval, stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<IReadOnlyList<Guid>> ClaimAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stale = options.CloseDrainTimeout + TimeSpan.FromMinutes(1);
        var claimed = (await connection.QueryAsync<Guid>("""
            UPDATE ballots SET status = 'Closing', close_claimed_at = now()
            WHERE id IN (
              SELECT id FROM ballots
              WHERE (status = 'Published' AND closes_at <= now())
                 OR (status = 'Closing' AND (close_claimed_at IS NULL OR close_claimed_at < now() - @stale))
              ORDER BY closes_at LIMIT 20 FOR UPDATE SKIP LOCKED)
            RETURNING id
            """, new { stale })).ToList();
        foreach (var id in claimed)
        {
            await cache.ChangedAsync(id, ct);
        }
        return claimed;
    }

    private async Task CloseClaimedAsync(Guid ballotId, CancellationToken ct)
    {
        try
        {
            var ballot = await cache.ReloadAsync(ballotId, ct);
            if (ballot?.ClosesAt is not { } end)
            {
                return;
            }
            await DrainAsync(ballotId, end, ct);
            await FinalizeAsync(ballotId, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // another instance takes the stale claim over
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Closing ballot {BallotId} failed; it will be retried after the claim expires", ballotId);
        }
    }

    private async Task DrainAsync(Guid ballotId, DateTimeOffset end, CancellationToken ct)
    {
        var graceOver = end + options.CloseGrace;
        var now = time.GetUtcNow();
        if (graceOver > now)
        {
            await Task.Delay(graceOver - now, ct);
        }
        var deadline = time.GetUtcNow() + options.CloseDrainTimeout;
        while (true)
        {
            long? committed = null, inRedis = null;
            try
            {
                committed = await acceptedVotes.CommittedAsync(ballotId, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Accepted-votes count of ballot {BallotId} unreadable; waiting", ballotId);
            }
            try
            {
                // A second lower bound: counts that could not be written to PostgreSQL yet (while it was away).
                inRedis = await acceptance.AcceptedCountAsync(ballotId);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Redis accepted-votes counter of ballot {BallotId} unreadable; using PostgreSQL's", ballotId);
            }
            long? accepted = committed is { } c ? Math.Max(c, inRedis ?? 0) : null;
            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            {
                var consumed = await connection.ExecuteScalarAsync<long?>(
                    "SELECT consumed FROM ballot_counters WHERE ballot_id = @ballotId", new { ballotId }) ?? 0;
                if (accepted is { } a && consumed >= a)
                {
                    return;
                }
                if (time.GetUtcNow() > deadline)
                {
                    logger.LogError("Ballot {BallotId}: only {Consumed} of {Accepted} accepted votes consumed when the drain timed out; closing with what was consumed",
                        ballotId, consumed, accepted);
                    return;
                }
            }
            await Task.Delay(200, ct);
        }
    }

    /// <summary>The final count, in one transaction with the ballot locked against the vote consumer.</summary>
    public async Task FinalizeAsync(Guid ballotId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VotingDb>();
        var closedNow = await db.Database.CreateExecutionStrategy().ExecuteAsync(() => FinalizeOnceAsync(db, ballotId, ct));
        if (closedNow)
        {
            await cache.ChangedAsync(ballotId, ct);
            notifier.Wake(ballotId);
        }
    }

    private async Task<bool> FinalizeOnceAsync(VotingDb db, Guid ballotId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTx = (NpgsqlTransaction)tx.GetDbTransaction();
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = VoteBatchWriter.LockKey(ballotId) }, npgsqlTx);
        await connection.ExecuteAsync("SELECT 1 FROM ballots WHERE id = @ballotId FOR UPDATE", new { ballotId }, npgsqlTx);
        var ballot = await db.Ballots.Include(b => b.Options).SingleAsync(b => b.Id == ballotId, ct);
        if (ballot.Status == BallotStatus.Closed)
        {
            return false;
        }
        var snapshot = BallotSnapshot.From(ballot);
        var started = time.GetUtcNow();
        var recount = await Recounter.RecountAsync(connection, npgsqlTx, snapshot, ct);
        var live = await ResultsReader.ReadTallyAsync(connection, npgsqlTx, ballotId);
        var differences = recount.Tally.Differences(live, snapshot.Rules.OptionIds);
        if (differences.Count > 0)
        {
            logger.LogError("ALARM: final recount of ballot {BallotId} differs from the live tally in {Count} places; the recount is the result",
                ballotId, differences.Count);
            await RepairTallyAsync(connection, npgsqlTx, ballotId, recount.Tally);
        }
        var (inPerson, participants) = await ResultsReader.ReadInPersonAsync(connection, npgsqlTx, ballotId);

        var now = time.GetUtcNow();
        ballot.Status = BallotStatus.Closed;
        ballot.ClosedAt = now;
        ballot.FinalVotes = recount.Votes;
        ballot.FinalDigest = recount.Digest;
        ballot.ResultVersion = 1;
        ballot.UpdatedAt = now;
        var closed = BallotSnapshot.From(ballot);
        var view = BallotResults.Compute(closed, recount.Tally, inPerson, participants, now);
        var options = ToContract(view);
        ballot.FinalResult = JsonSerializer.Serialize(options);
        db.ResultVersions.Add(new ResultVersion
        {
            BallotId = ballotId, Version = 1, Kind = "final", Digest = recount.Digest, Result = ballot.FinalResult,
            Votes = recount.Votes, InPersonParticipants = participants, CreatedAt = now,
        });
        db.RecountRuns.Add(new RecountRun
        {
            Id = Guid.CreateVersion7(), BallotId = ballotId, Kind = "final", StartedAt = started, FinishedAt = now,
            Votes = recount.Votes, Matches = differences.Count == 0, Digest = recount.Digest,
            Differences = differences.Count == 0 ? null : string.Join('\n', differences.Take(200)),
        });
        db.AddOutboxMessage(new BallotClosed(ballotId, ballot.ProcessId, now, recount.Votes, recount.Digest));
        db.AddOutboxMessage(new ResultPublished(ballotId, ballot.ProcessId, BallotResults.Kebab(view.Method.ToString()), options, recount.Digest, now, ballot.PhaseId));
        if (ballot.Method is VotingMethod.Support or VotingMethod.Approval)
        {
            foreach (var option in closed.Options.Where(o => o.ItemId is not null))
            {
                db.AddOutboxMessage(new ItemSupportChanged(option.ItemId!.Value, ballotId, recount.Tally[option.OptionId].Votes, now,
                    SupportEventThrottle.Electorate(closed)));
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Ballot {BallotId} closed: {Votes} votes, digest {Digest}", ballotId, recount.Votes, recount.Digest);
        return true;
    }

    internal static List<OptionResult> ToContract(ResultsView view) =>
        view.Options.Select(o => new OptionResult(o.OptionId, o.ItemId, o.Title, o.Online, o.InPerson, o.Total, o.Rank)).ToList();

    private static async Task RepairTallyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid ballotId, Tally recount)
    {
        await connection.ExecuteAsync("DELETE FROM tallies WHERE ballot_id = @ballotId; DELETE FROM pairwise_tallies WHERE ballot_id = @ballotId;",
            new { ballotId }, tx);
        await connection.ExecuteAsync("INSERT INTO tallies (ballot_id, option_id, score, votes) VALUES (@ballotId, @option, @score, @votes)",
            recount.Options.Select(o => new { ballotId, option = o.Key, score = o.Value.Score, votes = o.Value.Votes }), tx);
        await connection.ExecuteAsync("INSERT INTO pairwise_tallies (ballot_id, winner_id, loser_id, count) VALUES (@ballotId, @winner, @loser, @count)",
            recount.Pairwise.Select(p => new { ballotId, winner = p.Key.Winner, loser = p.Key.Loser, count = p.Value }), tx);
        await connection.ExecuteAsync("""
            INSERT INTO ballot_counters (ballot_id, voters, consumed) VALUES (@ballotId, @voters, 0)
            ON CONFLICT (ballot_id) DO UPDATE SET voters = excluded.voters
            """, new { ballotId, voters = recount.Voters }, tx);
    }
}
