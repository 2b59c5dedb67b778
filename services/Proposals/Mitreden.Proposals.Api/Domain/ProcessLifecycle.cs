using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Domain;

internal enum LifecycleOutcome { Done, NotFound, WrongState }

/// <summary>Publishing and archiving, shared by the endpoints and the demo seed so both emit the same events.</summary>
internal static class ProcessLifecycle
{
    /// <summary>
    /// Draft → published in one transaction: ProcessPublished, PhaseStarted for a phase already running and ItemPublished
    /// for every official item. The process row is locked, so two concurrent publishes announce it once.
    /// </summary>
    public static Task<LifecycleOutcome> PublishAsync(ProposalsDb db, Guid processId, TimeProvider clock, CancellationToken ct) =>
        db.InTransactionAsync(async token =>
        {
            var process = await LockAsync(db, processId, token);
            if (process is null)
            {
                return LifecycleOutcome.NotFound;
            }
            if (process.Status != ProcessStatus.Draft)
            {
                return LifecycleOutcome.WrongState;
            }
            var now = clock.GetUtcNow();
            process.Status = ProcessStatus.Published;
            process.PublishedAt = now;
            process.UpdatedAt = now;
            db.AddOutboxMessage(new ProcessPublished(process.Id, process.Title, process.City, now));
            db.AddOutboxMessage(new ProcessCommentingRulesChanged(process.Id, process.UnconfirmedAccountsMayComment, now));

            var phases = await db.Phases.Where(p => p.ProcessId == processId).ToListAsync(token);
            foreach (var phase in phases.Where(p => p.IsCurrent(now) && p.StartedAt is null))
            {
                PhaseTransitions.Start(db, phase, now);
            }

            var items = await db.Items.Where(i => i.ProcessId == processId && i.PublishedAt == null)
                .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).ToListAsync(token);
            foreach (var item in items)
            {
                ItemRules.Publish(db, item, now);
            }
            await db.SaveChangesAsync(token);
            return LifecycleOutcome.Done;
        }, ct);

    /// <summary>Published → archived; a phase still announced as running gets its PhaseEnded now.</summary>
    public static Task<LifecycleOutcome> ArchiveAsync(ProposalsDb db, Guid processId, TimeProvider clock, CancellationToken ct) =>
        db.InTransactionAsync(async token =>
        {
            var process = await LockAsync(db, processId, token);
            if (process is null)
            {
                return LifecycleOutcome.NotFound;
            }
            if (process.Status != ProcessStatus.Published)
            {
                return LifecycleOutcome.WrongState;
            }
            var now = clock.GetUtcNow();
            process.Status = ProcessStatus.Archived;
            process.ArchivedAt = now;
            process.UpdatedAt = now;
            var running = await db.Phases
                .FromSql($"SELECT * FROM phases WHERE process_id = {processId} AND started_at IS NOT NULL AND ended_at IS NULL FOR UPDATE")
                .ToListAsync(token);
            foreach (var phase in running)
            {
                PhaseTransitions.End(db, phase, now);
            }
            await db.SaveChangesAsync(token);
            return LifecycleOutcome.Done;
        }, ct);

    /// <summary>Loads the process row under a row lock (raw SQL is not composed on, so FOR UPDATE stays at the top level).</summary>
    public static async Task<Process?> LockAsync(ProposalsDb db, Guid processId, CancellationToken ct) =>
        (await db.Processes.FromSql($"SELECT * FROM processes WHERE id = {processId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();
}
