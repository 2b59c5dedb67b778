using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults.Auth;
using Npgsql;

namespace Mitreden.ServiceDefaults.Accounts;

public sealed class RefusedSubjectsOptions
{
    public const string Section = "RefusedSubjects";

    /// <summary>How often each replica reads what changed in its service's refused_subjects table.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Each read goes back this far before the newest change it has seen: a row stamped by one replica but committed
    /// a little later, or by a replica whose clock is a little behind, is still read.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The accounts this process refuses, in memory: the vote path asks it on every request, so a check is one
/// dictionary lookup. Filled from the service's own refused_subjects table (at start, then every second) and at once
/// by this replica's consumer of Identity's events.
/// </summary>
public sealed class RefusedSubjects
{
    private readonly ConcurrentDictionary<Guid, AccountState> _states = new();
    private volatile bool _loaded;

    /// <summary>True once the table has been read completely (the replica is not ready before).</summary>
    public bool Loaded => _loaded;

    public AccountRefusal? Check(ClaimsPrincipal user, DateTimeOffset now)
    {
        if (!user.TryGetUserId(out var userId))
        {
            return null;
        }
        _states.TryGetValue(userId, out var state);
        return AccountStanding.Evaluate(state, user, now);
    }

    internal void Apply(Guid userId, AccountState state) => _states[userId] = state;

    internal void MarkLoaded() => _loaded = true;
}

/// <summary>Reads the refused_subjects table at start and then what changed, every <see cref="RefusedSubjectsOptions.RefreshInterval"/>.</summary>
public sealed class RefusedSubjectsRefresher(RefusedSubjects subjects, NpgsqlDataSource db, IOptions<RefusedSubjectsOptions> options,
    ILogger<RefusedSubjectsRefresher> logger) : BackgroundService
{
    private DateTimeOffset? _since;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RefreshInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Refused subjects not refreshed; trying again");
            }
            await Task.Delay(interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    internal async Task RefreshAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(_since is null
            ? "SELECT user_id, deleted_at, blocked_until, block_as_of, changed_at FROM refused_subjects"
            : "SELECT user_id, deleted_at, blocked_until, block_as_of, changed_at FROM refused_subjects WHERE changed_at >= $1");
        if (_since is { } since)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        DateTimeOffset? newest = null;
        while (await reader.ReadAsync(ct))
        {
            var changedAt = reader.GetFieldValue<DateTimeOffset>(4);
            subjects.Apply(reader.GetGuid(0), new AccountState(
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
            if (newest is null || changedAt > newest)
            {
                newest = changedAt;
            }
        }
        if (newest is { } seen && (_since is null || seen - options.Value.Overlap > _since))
        {
            _since = seen - options.Value.Overlap;
        }
        subjects.MarkLoaded();
    }
}

public sealed class RefusedSubjectsHealthCheck(RefusedSubjects subjects) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(subjects.Loaded
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Deleted and blocked accounts not read yet"));
}
