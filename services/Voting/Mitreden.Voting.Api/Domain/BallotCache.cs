using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Api.Domain;

/// <summary>
/// All ballots in memory, so a vote never needs PostgreSQL to find its ballot. Refreshed on change: the
/// instance that changed a ballot reloads it and tells the others over Redis pub/sub; a full reload every
/// 10 s covers a lost message. Unknown ids are remembered for a few seconds so random ids cannot hammer the database.
/// </summary>
public sealed class BallotCache(IServiceScopeFactory scopes, IConnectionMultiplexer redis, VotingOptions options, ILogger<BallotCache> logger)
{
    // A load takes its ticket before it queries, so a later ticket has seen newer (or equal) data; a slower, older
    // load can never overwrite what a newer one stored.
    private readonly ConcurrentDictionary<Guid, (BallotSnapshot Snapshot, long Ticket)> _ballots = new();
    private long _tickets;
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _misses = new();

    public RedisChannel ChangedChannel => RedisChannel.Literal(options.RedisPrefix + "ballot-changed");

    /// <summary>The ballot from memory; loads it once from the database if this instance has not seen it yet.</summary>
    public async ValueTask<BallotSnapshot?> GetAsync(Guid id, CancellationToken ct = default)
    {
        if (_ballots.TryGetValue(id, out var entry))
        {
            return entry.Snapshot;
        }
        if (_misses.TryGetValue(id, out var until) && until > DateTimeOffset.UtcNow)
        {
            return null;
        }
        return await ReloadAsync(id, ct);
    }

    /// <summary>
    /// Like <see cref="GetAsync"/>, but when the cached copy would make the caller refuse, the database is read once
    /// more: another instance may have just created or opened the ballot, and its change notice may not have arrived.
    /// Refusals are rare, so the vote path still reads memory only.
    /// </summary>
    public async ValueTask<BallotSnapshot?> GetCheckedAsync(Guid id, Func<BallotSnapshot?, bool> wouldRefuse, CancellationToken ct = default)
    {
        var snapshot = await GetAsync(id, ct);
        return wouldRefuse(snapshot) ? await ReloadAsync(id, ct) : snapshot;
    }

    public IEnumerable<BallotSnapshot> All => _ballots.Values.Select(e => e.Snapshot);

    private void Store(BallotSnapshot snapshot, long ticket) =>
        _ballots.AddOrUpdate(snapshot.Id, (snapshot, ticket), (_, old) => old.Ticket > ticket ? old : (snapshot, ticket));

    private void Forget(Guid id, long ticket)
    {
        if (_ballots.TryGetValue(id, out var old) && old.Ticket < ticket)
        {
            _ballots.TryRemove(new KeyValuePair<Guid, (BallotSnapshot, long)>(id, old));
        }
    }

    public async Task<BallotSnapshot?> ReloadAsync(Guid id, CancellationToken ct = default)
    {
        var ticket = Interlocked.Increment(ref _tickets);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VotingDb>();
        var ballot = await db.Ballots.AsNoTracking().Include(b => b.Options).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (ballot is null)
        {
            Forget(id, ticket);
            _misses[id] = DateTimeOffset.UtcNow.AddSeconds(3);
            return null;
        }
        var phase = ballot.PhaseId is { } phaseId
            ? await db.Phases.AsNoTracking().FirstOrDefaultAsync(p => p.PhaseId == phaseId, ct)
            : null;
        _misses.TryRemove(id, out _);
        Store(BallotSnapshot.From(ballot, phase), ticket);
        return _ballots.TryGetValue(id, out var entry) ? entry.Snapshot : null;
    }

    public async Task ReloadQuietlyAsync(Guid id)
    {
        try
        {
            await ReloadAsync(id);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Reloading ballot {BallotId} failed; the periodic reload catches up", id);
        }
    }

    public async Task ReloadAllAsync(CancellationToken ct)
    {
        var ticket = Interlocked.Increment(ref _tickets);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VotingDb>();
        var ballots = await db.Ballots.AsNoTracking().Include(b => b.Options).AsSplitQuery().ToListAsync(ct);
        var phaseIds = ballots.Where(b => b.PhaseId is not null).Select(b => b.PhaseId!.Value).Distinct().ToList();
        var phases = await db.Phases.AsNoTracking().Where(p => phaseIds.Contains(p.PhaseId)).ToDictionaryAsync(p => p.PhaseId, ct);
        var seen = new HashSet<Guid>();
        foreach (var ballot in ballots)
        {
            Store(BallotSnapshot.From(ballot, ballot.PhaseId is { } phaseId ? phases.GetValueOrDefault(phaseId) : null), ticket);
            seen.Add(ballot.Id);
        }
        foreach (var id in _ballots.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            Forget(id, ticket);
        }
    }

    /// <summary>After a change: reload here, and tell the other instances.</summary>
    public async Task ChangedAsync(Guid id, CancellationToken ct = default)
    {
        await ReloadAsync(id, ct);
        try
        {
            await redis.GetSubscriber().PublishAsync(ChangedChannel, id.ToString("N"));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not announce the change of ballot {BallotId}; other instances catch up within 10 s", id);
        }
    }
}

/// <summary>Loads the cache at start, listens for changes of other instances, reloads everything every 10 s.</summary>
public sealed class BallotCacheRefresher(BallotCache cache, IConnectionMultiplexer redis, ILogger<BallotCacheRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await redis.GetSubscriber().SubscribeAsync(cache.ChangedChannel, (channel, message) =>
                    {
                        if (Guid.TryParseExact(message.ToString(), "N", out var id))
                        {
                            _ = cache.ReloadQuietlyAsync(id);
                        }
                    });
                    subscribed = true;
                }
                await cache.ReloadAllAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Ballot cache refresh failed; retrying");
            }
            await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
