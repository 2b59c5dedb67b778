using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Domain;

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
