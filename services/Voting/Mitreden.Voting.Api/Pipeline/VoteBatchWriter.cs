using Dapper;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Contracts;
using Npgsql;
using NpgsqlTypes;
using BallotRow = (System.Guid Id, string Status, System.DateTimeOffset? OpensAt, System.DateTimeOffset? ClosesAt, System.Guid? PhaseId);

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>The result of one batch transaction.</summary>
public sealed class BatchOutcome
{
    /// <summary>Messages that can never be processed (unknown ballot): they go to the error queue.</summary>
    public List<(VoteMessage Message, string Reason)> Poison { get; } = [];

    /// <summary>Ballots whose tally changed.</summary>
    public HashSet<Guid> ChangedBallots { get; } = [];

    /// <summary>Ballots whose ItemSupportChanged events were written in this transaction.</summary>
    public HashSet<Guid> SupportEmitted { get; } = [];

    public int NewVotes { get; set; }
    public int Duplicates { get; set; }
    public int Rejected { get; set; }
}

/// <summary>
/// Writes a batch of votes in ONE PostgreSQL transaction: vote_log (duplicates by vote id dropped), current_votes
/// (only where the vote is newer), the tally deltas (old choices out, new in), the counters, and — for live
/// support/approval ballots — ItemSupportChanged into the outbox. Ballots of the batch are locked with a
/// transaction-scoped advisory lock, so two consumers never interleave on one ballot and the close's final count
/// sees a consistent vote set.
/// </summary>
public sealed class VoteBatchWriter(NpgsqlDataSource dataSource, BallotCache cache, SupportEventThrottle supportThrottle,
    IVoteBatchHooks hooks, TimeProvider time, ILogger<VoteBatchWriter> logger)
{
    public static long LockKey(Guid ballotId)
    {
        Span<byte> bytes = stackalloc byte[16];
        ballotId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]) ^ 0x766f74696e67L; // "voting"
    }

    /// <summary>Writes the batch, retrying transient database errors with backoff until it succeeds or the host stops.</summary>
    public async Task<BatchOutcome> WriteAsync(IReadOnlyList<VoteMessage> votes, int batchNumber, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(votes, batchNumber, ct);
            }
            catch (Exception ex) when (IsTransient(ex) && !ct.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(attempt, 10))));
                logger.LogWarning(ex, "Transient database error writing a vote batch (attempt {Attempt}); retrying in {Delay}", attempt, delay);
                await Task.Delay(delay, ct);
            }
        }
    }

    public static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is "40001" or "40P01" || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                                || pg.SqlState.StartsWith("53", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => false,
    };

    private sealed record Candidate(VoteMessage Message, byte[] VoterKey, byte[] ReceiptHash, Choices? Choices, string? RejectedReason);

    /// <summary>The ballots of a batch as this transaction sees them (locked): row, phase gates, snapshot.</summary>
    private sealed record LockedBallots(Dictionary<Guid, BallotRow> Rows, Dictionary<Guid, PhaseGate> Phases,
        Dictionary<Guid, BallotSnapshot> Snapshots);

    /// <summary>One voter's current vote as stored (the one a newer vote replaces).</summary>
    private sealed record StoredVote(Guid VoteId, long Sequence, string Choices);

    /// <summary>What a batch changes: tally deltas per ballot and the current vote per (ballot, voter).</summary>
    private sealed record Changes(Dictionary<Guid, Tally> Deltas, Dictionary<(Guid, string), Candidate> Upserts);

    private async Task<BatchOutcome> WriteOnceAsync(IReadOnlyList<VoteMessage> batch, int batchNumber, CancellationToken ct)
    {
        var outcome = new BatchOutcome();
        var votes = batch.DistinctBy(v => v.VoteId).ToList();
        outcome.Duplicates = batch.Count - votes.Count;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        var ballots = await LockBallotsAsync(connection, tx, votes, ct);
        var candidates = Classify(votes, ballots, outcome);
        var fresh = await AppendToLogAsync(connection, tx, candidates, ct);
        outcome.NewVotes = fresh.Count;
        outcome.Duplicates += candidates.Count - fresh.Count;
        outcome.Rejected = fresh.Count(c => c.RejectedReason is not null);

        var counted = fresh.Where(c => c.Choices is not null).ToList();
        var stored = await ReadCurrentVotesAsync(connection, tx, counted);
        var changes = NewestWins(counted, stored, ballots.Snapshots);
        await ApplyAsync(connection, tx, changes, fresh, ct);
        await WriteDueSupportEventsAsync(connection, tx, changes.Deltas.Keys, ballots.Snapshots, outcome, ct);

        await hooks.AtAsync(VoteBatchStage.BeforeCommit, batchNumber, ct);
        await tx.CommitAsync(ct);
        foreach (var ballotId in outcome.SupportEmitted)
        {
            supportThrottle.Emitted(ballotId);
        }
        return outcome;
    }

    /// <summary>
    /// Takes the ballots' advisory locks (in key order, so two consumers never deadlock) and reads their rows, their
    /// phase gates and their snapshots.
    /// </summary>
    private async Task<LockedBallots> LockBallotsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<VoteMessage> votes,
        CancellationToken ct)
    {
        var ballotIds = votes.Select(v => v.BallotId).Distinct().OrderBy(LockKey).ToArray();
        foreach (var ballotId in ballotIds)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = LockKey(ballotId) }, tx);
        }
        var rows = (await connection.QueryAsync<BallotRow>(
                "SELECT id, status, opens_at, closes_at, phase_id FROM ballots WHERE id = ANY(@ids)", new { ids = ballotIds }, tx))
            .ToDictionary(s => s.Id);
        // The phase rows are share-locked: a switch committed before this read is seen here, and one committing
        // meanwhile waits for this batch — so no vote cast after a switch Voting knows of is counted.
        var phaseIds = rows.Values.Where(s => s.PhaseId is not null).Select(s => s.PhaseId!.Value).Distinct().ToArray();
        var phases = phaseIds.Length == 0
            ? new Dictionary<Guid, PhaseGate>()
            : (await connection.QueryAsync<(Guid PhaseId, bool Voting, DateTimeOffset SwitchesAsOf, DateTimeOffset? EndedAt)>(
                    "SELECT phase_id, voting, switches_as_of, ended_at FROM phases WHERE phase_id = ANY(@phaseIds) ORDER BY phase_id FOR SHARE",
                    new { phaseIds }, tx))
                .ToDictionary(p => p.PhaseId, p => new PhaseGate(p.Voting, p.SwitchesAsOf, p.EndedAt));
        var snapshots = new Dictionary<Guid, BallotSnapshot>();
        foreach (var ballotId in ballotIds)
        {
            if (rows.ContainsKey(ballotId) && await cache.GetAsync(ballotId, ct) is { } snapshot)
            {
                snapshots[ballotId] = snapshot;
            }
        }
        return new LockedBallots(rows, phases, snapshots);
    }

    /// <summary>Unknown ballot → error queue (poison); late, early or invalid → logged as rejected; the rest counts.</summary>
    private static List<Candidate> Classify(List<VoteMessage> votes, LockedBallots ballots, BatchOutcome outcome)
    {
        var candidates = new List<Candidate>(votes.Count);
        foreach (var vote in votes)
        {
            if (!ballots.Rows.TryGetValue(vote.BallotId, out var row) || !ballots.Snapshots.TryGetValue(vote.BallotId, out var ballot))
            {
                outcome.Poison.Add((vote, "unknown-ballot"));
                continue;
            }
            var rejected = Refusal(row, ballots.Phases, vote);
            Choices? choices = null;
            if (rejected is null)
            {
                try
                {
                    choices = Choices.Parse(vote.Choices);
                    if (VoteRules.Validate(ballot.Rules, choices).Count > 0)
                    {
                        rejected = "invalid-choices";
                    }
                }
                catch (FormatException)
                {
                    rejected = "invalid-choices";
                }
            }
            candidates.Add(new Candidate(vote, Convert.FromHexString(vote.VoterKey), Convert.FromHexString(vote.ReceiptHash),
                rejected is null ? choices : null, rejected));
        }
        return candidates;
    }

    /// <summary>Why the ballot refuses a vote of this time (closed, not open yet, phase switched), or null.</summary>
    private static string? Refusal(BallotRow row, Dictionary<Guid, PhaseGate> phases, VoteMessage vote) => row.Status switch
    {
        nameof(BallotStatus.Closed) => "ballot-closed",
        nameof(BallotStatus.Draft) => "not-open",
        _ when row.ClosesAt is { } end && vote.Sequence >= VoteSequence.ToMicros(end) => "after-close",
        _ when row.OpensAt is not { } start || vote.Sequence < VoteSequence.ToMicros(start) => "before-open",
        _ when row.PhaseId is { } phaseId && phases.TryGetValue(phaseId, out var gate) => gate.Refusal(VoteSequence.ToTime(vote.Sequence)),
        _ => null,
    };

    /// <summary>
    /// Appends every candidate to vote_log and returns those that were new: a vote id seen before (a redelivery) is
    /// dropped here, so it can never be counted twice.
    /// </summary>
    private static async Task<List<Candidate>> AppendToLogAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<Candidate> candidates, CancellationToken ct)
    {
        if (candidates.Count == 0)
        {
            return [];
        }
        await using var insert = new NpgsqlCommand("""
            INSERT INTO vote_log (vote_id, ballot_id, voter_key, sequence, choices, district, receipt_hash, consumed_at, rejected_reason)
            SELECT v, b, k, s, c, d, h, now(), r
            FROM unnest($1, $2, $3, $4, $5, $6, $7, $8) AS t(v, b, k, s, c, d, h, r)
            ON CONFLICT (vote_id) DO NOTHING
            RETURNING vote_id
            """, connection, tx);
        insert.Parameters.Add(Array(NpgsqlDbType.Uuid, candidates.Select(c => c.Message.VoteId).ToArray()));
        insert.Parameters.Add(Array(NpgsqlDbType.Uuid, candidates.Select(c => c.Message.BallotId).ToArray()));
        insert.Parameters.Add(Array(NpgsqlDbType.Bytea, candidates.Select(c => c.VoterKey).ToArray()));
        insert.Parameters.Add(Array(NpgsqlDbType.Bigint, candidates.Select(c => c.Message.Sequence).ToArray()));
        insert.Parameters.Add(Array(NpgsqlDbType.Text, candidates.Select(c => c.Message.Choices).ToArray()));
        insert.Parameters.Add(Array(NpgsqlDbType.Text, candidates.Select(c => c.Message.District).ToArray()));
        insert.Parameters.Add(Array(NpgsqlDbType.Bytea, candidates.Select(c => c.ReceiptHash).ToArray()));
        insert.Parameters.Add(Array(NpgsqlDbType.Text, candidates.Select(c => c.RejectedReason).ToArray()));
        var inserted = new HashSet<Guid>();
        await using (var reader = await insert.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                inserted.Add(reader.GetGuid(0));
            }
        }
        return candidates.Where(c => inserted.Contains(c.Message.VoteId)).ToList();
    }

    /// <summary>The stored current vote of each voter of the batch (locked by the ballot lock).</summary>
    private static async Task<Dictionary<(Guid, string), StoredVote>> ReadCurrentVotesAsync(NpgsqlConnection connection,
        NpgsqlTransaction tx, List<Candidate> counted)
    {
        var stored = new Dictionary<(Guid, string), StoredVote>();
        if (counted.Count == 0)
        {
            return stored;
        }
        var keys = counted.Select(c => (c.Message.BallotId, c.Message.VoterKey)).Distinct().ToList();
        var rows = await connection.QueryAsync<(Guid BallotId, byte[] VoterKey, Guid VoteId, long Sequence, string Choices)>("""
            SELECT c.ballot_id, c.voter_key, c.vote_id, c.sequence, c.choices
            FROM current_votes c JOIN unnest(@ballots, @keys) AS x(ballot_id, voter_key)
              ON c.ballot_id = x.ballot_id AND c.voter_key = x.voter_key
            """, new { ballots = keys.Select(k => k.BallotId).ToArray(), keys = keys.Select(k => Convert.FromHexString(k.VoterKey)).ToArray() }, tx);
        foreach (var row in rows)
        {
            stored[(row.BallotId, Convert.ToHexStringLower(row.VoterKey))] = new StoredVote(row.VoteId, row.Sequence, row.Choices);
        }
        return stored;
    }

    /// <summary>
    /// Newest wins: in vote order, each counted vote replaces the voter's earlier one (of this batch or stored); a vote
    /// older than the stored one is superseded on arrival. The tally delta takes the old choices out and the new in.
    /// </summary>
    private static Changes NewestWins(List<Candidate> counted, Dictionary<(Guid, string), StoredVote> stored,
        Dictionary<Guid, BallotSnapshot> snapshots)
    {
        var deltas = new Dictionary<Guid, Tally>();
        var upserts = new Dictionary<(Guid, string), Candidate>();
        foreach (var vote in counted.OrderBy(c => c.Message.Sequence).ThenBy(c => c.Message.VoteId.ToString("N"), StringComparer.Ordinal))
        {
            var key = (vote.Message.BallotId, vote.Message.VoterKey);
            var rules = snapshots[vote.Message.BallotId].Rules;
            var delta = deltas.TryGetValue(vote.Message.BallotId, out var d) ? d : deltas[vote.Message.BallotId] = new Tally();
            if (upserts.TryGetValue(key, out var previousInBatch))
            {
                // sorted ascending, so this one is newer than the one of this batch it replaces
                VoteRules.Apply(rules, previousInBatch.Choices!, -1, delta);
            }
            else if (stored.TryGetValue(key, out var current))
            {
                if (!VoteSequence.IsNewer(vote.Message.Sequence, vote.Message.VoteId, current.Sequence, current.VoteId))
                {
                    continue; // arrived after a newer vote of the same voter: superseded on arrival
                }
                VoteRules.Apply(rules, Choices.Parse(current.Choices), -1, delta);
            }
            VoteRules.Apply(rules, vote.Choices!, +1, delta);
            upserts[key] = vote;
        }
        return new Changes(deltas, upserts);
    }

    /// <summary>Current votes, tallies, pairwise preferences and counters — in one round trip.</summary>
    private static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Changes changes, List<Candidate> fresh,
        CancellationToken ct)
    {
        await using var write = new NpgsqlBatch(connection, tx);
        if (changes.Upserts.Count > 0)
        {
            var rows = changes.Upserts.Values.ToList();
            var command = new NpgsqlBatchCommand("""
                INSERT INTO current_votes (ballot_id, voter_key, vote_id, sequence, choices, district, updated_at)
                SELECT b, k, v, s, c, d, now() FROM unnest($1, $2, $3, $4, $5, $6) AS t(b, k, v, s, c, d)
                ON CONFLICT (ballot_id, voter_key) DO UPDATE SET vote_id = excluded.vote_id, sequence = excluded.sequence,
                  choices = excluded.choices, district = excluded.district, updated_at = excluded.updated_at
                """);
            command.Parameters.Add(Array(NpgsqlDbType.Uuid, rows.Select(r => r.Message.BallotId).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Bytea, rows.Select(r => r.VoterKey).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Uuid, rows.Select(r => r.Message.VoteId).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Bigint, rows.Select(r => r.Message.Sequence).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Text, rows.Select(r => r.Message.Choices).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Text, rows.Select(r => r.Message.District).ToArray()));
            write.BatchCommands.Add(command);
        }
        var optionRows = changes.Deltas.SelectMany(d => d.Value.NonZeroOptions().Select(o => (Ballot: d.Key, Option: o.Key, o.Value.Score, o.Value.Votes))).ToList();
        if (optionRows.Count > 0)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO tallies (ballot_id, option_id, score, votes)
                SELECT * FROM unnest($1, $2, $3, $4)
                ON CONFLICT (ballot_id, option_id) DO UPDATE SET score = tallies.score + excluded.score, votes = tallies.votes + excluded.votes
                """);
            command.Parameters.Add(Array(NpgsqlDbType.Uuid, optionRows.Select(r => r.Ballot).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Uuid, optionRows.Select(r => r.Option).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Bigint, optionRows.Select(r => r.Score).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Bigint, optionRows.Select(r => r.Votes).ToArray()));
            write.BatchCommands.Add(command);
        }
        var pairRows = changes.Deltas.SelectMany(d => d.Value.NonZeroPairs().Select(p => (Ballot: d.Key, p.Key.Winner, p.Key.Loser, Count: p.Value))).ToList();
        if (pairRows.Count > 0)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO pairwise_tallies (ballot_id, winner_id, loser_id, count)
                SELECT * FROM unnest($1, $2, $3, $4)
                ON CONFLICT (ballot_id, winner_id, loser_id) DO UPDATE SET count = pairwise_tallies.count + excluded.count
                """);
            command.Parameters.Add(Array(NpgsqlDbType.Uuid, pairRows.Select(r => r.Ballot).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Uuid, pairRows.Select(r => r.Winner).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Uuid, pairRows.Select(r => r.Loser).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Bigint, pairRows.Select(r => r.Count).ToArray()));
            write.BatchCommands.Add(command);
        }
        var counters = fresh.GroupBy(c => c.Message.BallotId)
            .Select(g => (Ballot: g.Key, Voters: changes.Deltas.TryGetValue(g.Key, out var t) ? t.Voters : 0, Consumed: (long)g.Count())).ToList();
        if (counters.Count > 0)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO ballot_counters (ballot_id, voters, consumed)
                SELECT * FROM unnest($1, $2, $3)
                ON CONFLICT (ballot_id) DO UPDATE SET voters = ballot_counters.voters + excluded.voters,
                  consumed = ballot_counters.consumed + excluded.consumed
                """);
            command.Parameters.Add(Array(NpgsqlDbType.Uuid, counters.Select(r => r.Ballot).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Bigint, counters.Select(r => r.Voters).ToArray()));
            command.Parameters.Add(Array(NpgsqlDbType.Bigint, counters.Select(r => r.Consumed).ToArray()));
            write.BatchCommands.Add(command);
        }
        if (write.BatchCommands.Count > 0)
        {
            await write.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Marks each changed ballot in the outcome; for live support/approval ballots writes ItemSupportChanged into the
    /// outbox when the throttle says it is due, or marks it to be flushed later.
    /// </summary>
    private async Task WriteDueSupportEventsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IEnumerable<Guid> changed,
        Dictionary<Guid, BallotSnapshot> snapshots, BatchOutcome outcome, CancellationToken ct)
    {
        foreach (var ballotId in changed)
        {
            outcome.ChangedBallots.Add(ballotId);
            var ballot = snapshots[ballotId];
            if (!SupportEventThrottle.Applies(ballot))
            {
                continue;
            }
            if (supportThrottle.IsDue(ballotId))
            {
                await WriteSupportEventsAsync(connection, tx, ballot, time.GetUtcNow(), ct);
                outcome.SupportEmitted.Add(ballotId);
            }
            else
            {
                supportThrottle.MarkDirty(ballotId);
            }
        }
    }

    /// <summary>Absolute support counts per item of a live support/approval ballot, into the outbox.</summary>
    internal static async Task WriteSupportEventsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, BallotSnapshot ballot,
        DateTimeOffset at, CancellationToken ct)
    {
        var counts = (await connection.QueryAsync<(Guid OptionId, long Votes)>(
            "SELECT option_id, votes FROM tallies WHERE ballot_id = @id", new { id = ballot.Id }, tx)).ToDictionary(r => r.OptionId, r => r.Votes);
        foreach (var option in ballot.Options.Where(o => o.ItemId is not null))
        {
            await InsertOutboxAsync(connection, tx, new ItemSupportChanged(option.ItemId!.Value, ballot.Id, counts.GetValueOrDefault(option.OptionId), at,
                SupportEventThrottle.Electorate(ballot)));
        }
    }

    internal static Task InsertOutboxAsync<T>(NpgsqlConnection connection, NpgsqlTransaction tx, T message) where T : class
    {
        var row = OutboxMessage.Create(message);
        return connection.ExecuteAsync("""
            INSERT INTO outbox_messages (message_id, message_type, body, correlation_id, created_at, attempts)
            VALUES (@MessageId, @MessageType, CAST(@Body AS jsonb), @CorrelationId, @CreatedAt, 0)
            """, new { row.MessageId, row.MessageType, row.Body, row.CorrelationId, row.CreatedAt }, tx);
    }

    /// <summary>Writes support events that the throttle held back, once they are due.</summary>
    public async Task<bool> FlushSupportEventsAsync(CancellationToken ct)
    {
        var due = supportThrottle.DueDirty();
        if (due.Count == 0)
        {
            return false;
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var written = new List<Guid>();
        foreach (var ballotId in due)
        {
            if (await cache.GetAsync(ballotId, ct) is { } ballot && SupportEventThrottle.Applies(ballot))
            {
                await WriteSupportEventsAsync(connection, tx, ballot, time.GetUtcNow(), ct);
                written.Add(ballotId);
            }
        }
        await tx.CommitAsync(ct);
        foreach (var ballotId in due)
        {
            supportThrottle.Emitted(ballotId);
        }
        return written.Count > 0;
    }

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, T[] values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values };
}
