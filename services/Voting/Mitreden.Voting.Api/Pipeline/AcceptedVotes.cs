using Npgsql;
using NpgsqlTypes;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>
/// The accepted-votes count that the close waits for, kept in PostgreSQL (table vote_acceptance) so that it survives
/// Redis losing its data. Written by group commit: every vote the broker confirmed meanwhile goes into one upsert per
/// ballot and process, and the vote's 202 waits for that commit (at most <see cref="MaxWait"/>), so a close cannot
/// finish while a vote answered 202 is still in the queue. When PostgreSQL is away, votes are still accepted (they are
/// safe in the queue): the count stays in memory and is written once PostgreSQL answers again; until then the close
/// also has the Redis counter (<see cref="VoteAcceptanceStore"/>), and it cannot finish without PostgreSQL anyway.
/// </summary>
public sealed class AcceptedVotes(NpgsqlDataSource dataSource, ILogger<AcceptedVotes> logger) : BackgroundService
{
    /// <summary>The longest a vote's answer waits for its count to be written.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly Guid _instance = Guid.CreateVersion7();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private Dictionary<Guid, long> _pending = [];
    private TaskCompletionSource<bool> _group = NewGroup();
    private volatile bool _failing;

    /// <summary>Counts one accepted vote; returns once the count is committed (or after <see cref="MaxWait"/>).</summary>
    public async Task CountAsync(Guid ballotId, CancellationToken ct)
    {
        Task<bool> written;
        lock (_lock)
        {
            _pending[ballotId] = _pending.GetValueOrDefault(ballotId) + 1;
            written = _group.Task;
        }
        Signal();
        if (_failing)
        {
            return;   // PostgreSQL is away: the voter is not held; the count follows when it is back
        }
        try
        {
            await written.WaitAsync(MaxWait, ct);
        }
        catch (TimeoutException)
        {
            // written with the next successful flush
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client left; the count is written all the same
        }
    }

    /// <summary>Votes accepted for the ballot by every process, as committed.</summary>
    public async Task<long> CommittedAsync(Guid ballotId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(accepted), 0)::bigint FROM vote_acceptance WHERE ballot_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = ballotId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            await ((Task)_signal.WaitAsync(stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (await FlushAsync())
            {
                failures = 0;
                continue;
            }
            failures++;
            var delay = TimeSpan.FromMilliseconds(Math.Min(2000, 100 << Math.Min(failures, 5)));
            await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Signal();
        }
        // Stopping: the web server has stopped taking votes before this runs; write what is left.
        for (var attempt = 0; attempt < 3 && !await FlushAsync(); attempt++)
        {
            await Task.Delay(500, CancellationToken.None);
        }
    }

    private async Task<bool> FlushAsync()
    {
        Dictionary<Guid, long> batch;
        TaskCompletionSource<bool> group;
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return true;
            }
            (batch, _pending) = (_pending, []);
            (group, _group) = (_group, NewGroup());
        }
        try
        {
            await using var command = dataSource.CreateCommand("""
                INSERT INTO vote_acceptance (ballot_id, instance_id, accepted, updated_at)
                SELECT b, $1, n, now() FROM unnest($2, $3) AS t(b, n)
                ON CONFLICT (ballot_id, instance_id) DO UPDATE
                  SET accepted = vote_acceptance.accepted + excluded.accepted, updated_at = excluded.updated_at
                """);
            command.CommandTimeout = 5;
            command.Parameters.Add(new NpgsqlParameter { Value = _instance, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = batch.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = batch.Values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("Accepted-votes counts written again after PostgreSQL was unreachable");
            }
            group.TrySetResult(true);
            return true;
        }
        catch (Exception ex)
        {
            // Put the counts back for the next attempt. (Should the failed statement have committed after all, the
            // count is too high: the close then waits until its drain timeout, and still counts every vote.)
            lock (_lock)
            {
                foreach (var (ballot, count) in batch)
                {
                    _pending[ballot] = _pending.GetValueOrDefault(ballot) + count;
                }
            }
            if (!_failing)
            {
                _failing = true;
                logger.LogWarning(ex, "Accepted-votes counts could not be written to PostgreSQL; votes are still accepted, retrying");
            }
            group.TrySetResult(false);
            return false;
        }
    }

    private void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    private static TaskCompletionSource<bool> NewGroup() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
