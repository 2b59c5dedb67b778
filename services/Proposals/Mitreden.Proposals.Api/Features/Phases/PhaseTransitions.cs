using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.Phases;

/// <summary>
/// Announces phase changes. A transition is a marker on the phase row (started_at / ended_at) written in the same
/// transaction as its outbox row; rows are claimed with FOR UPDATE SKIP LOCKED and re-checked under the lock, so two
/// instances ticking at once announce each transition exactly once.
/// </summary>
internal static class PhaseTransitions
{
    public static void Start(ProposalsDb db, Phase phase, DateTimeOffset now)
    {
        phase.StartedAt = now;
        phase.EndedAt = null;
        db.AddOutboxMessage(new PhaseStarted(phase.ProcessId, phase.Id, phase.Title, phase.Kind, phase.Switches, phase.StartsAt, phase.EndsAt));
    }

    public static void End(ProposalsDb db, Phase phase, DateTimeOffset now)
    {
        phase.EndedAt = now;
        db.AddOutboxMessage(new PhaseEnded(phase.ProcessId, phase.Id, now));
    }

    /// <summary>One pass of the clock over all published processes; returns the number of transitions announced.</summary>
    public static Task<int> TickAsync(ProposalsDb db, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async token =>
        {
            // Ends first, so a consumer sees the old phase end before the next one starts.
            var ending = await db.Phases.FromSql($"""
                SELECT ph.* FROM phases ph JOIN processes pr ON pr.id = ph.process_id
                WHERE pr.status = 'published' AND ph.started_at IS NOT NULL AND ph.ended_at IS NULL AND ph.ends_at <= {now}
                ORDER BY ph.ends_at, ph.id
                FOR UPDATE OF ph SKIP LOCKED
                """).ToListAsync(token);
            foreach (var phase in ending)
            {
                End(db, phase, now);
            }
            var starting = await db.Phases.FromSql($"""
                SELECT ph.* FROM phases ph JOIN processes pr ON pr.id = ph.process_id
                WHERE pr.status = 'published' AND ph.started_at IS NULL AND ph.starts_at <= {now} AND ph.ends_at > {now}
                ORDER BY ph.starts_at, ph.id
                FOR UPDATE OF ph SKIP LOCKED
                """).ToListAsync(token);
            foreach (var phase in starting)
            {
                Start(db, phase, now);
            }
            if (ending.Count + starting.Count > 0)
            {
                await db.SaveChangesAsync(token);
            }
            return ending.Count + starting.Count;
        }, ct);
}

/// <summary>Bound from the section "Proposals" and validated at start (ProposalsModule).</summary>
public sealed class PhaseClockOptions
{
    public const string Section = "Proposals";

    /// <summary>How often the clock looks for phase changes (Proposals:PhaseClockInterval).</summary>
    public TimeSpan PhaseClockInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Switches phases on time: every <see cref="PhaseClockOptions.PhaseClockInterval"/> one <see cref="PhaseTransitions.TickAsync"/>.</summary>
internal sealed class PhaseClock(IServiceScopeFactory scopes, TimeProvider clock, IOptions<PhaseClockOptions> settings, ILogger<PhaseClock> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var interval = settings.Value.PhaseClockInterval;
        using var timer = new PeriodicTimer(interval, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
                var changed = await PhaseTransitions.TickAsync(db, clock.GetUtcNow(), stoppingToken);
                if (changed > 0)
                {
                    logger.LogInformation("Phase clock announced {Transitions} phase transition(s)", changed);
                }
                if (!await timer.WaitForNextTickAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Phase clock tick failed; next try in {Interval}", interval);
                await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
