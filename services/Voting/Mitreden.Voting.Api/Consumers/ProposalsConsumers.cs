using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;

namespace Mitreden.Voting.Api.Consumers;

/// <summary>Keeps the local item copy (option titles and costs) in step with Proposals.</summary>
public sealed class ItemPublishedConsumer(VotingDb db, BallotCache cache) : IConsumer<ItemPublished>
{
    public async Task Consume(ConsumeContext<ItemPublished> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ItemPublishedConsumer)))
        {
            return;
        }
        var m = context.Message;
        var changed = await ItemCopies.UpsertAsync(db, m.ItemId, m.ProcessId, m.Kind, m.Title, m.District, m.CostEstimate, m.PublishedAt, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
        foreach (var ballotId in changed)
        {
            await cache.ChangedAsync(ballotId, context.CancellationToken);
        }
    }
}

public sealed class ItemUpdatedConsumer(VotingDb db, BallotCache cache) : IConsumer<ItemUpdated>
{
    public async Task Consume(ConsumeContext<ItemUpdated> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ItemUpdatedConsumer)))
        {
            return;
        }
        var m = context.Message;
        var changed = await ItemCopies.UpsertAsync(db, m.ItemId, m.ProcessId, null, m.Title, m.District, m.CostEstimate, m.UpdatedAt, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
        foreach (var ballotId in changed)
        {
            await cache.ChangedAsync(ballotId, context.CancellationToken);
        }
    }
}

internal static class ItemCopies
{
    /// <summary>
    /// Upserts the copy (older events do not overwrite newer ones) and renames the options that show the item.
    /// Costs of options change only while their ballot is a draft: a published ballot's rules are fixed.
    /// </summary>
    public static async Task<List<Guid>> UpsertAsync(VotingDb db, Guid itemId, Guid processId, string? kind, string title,
        string? district, decimal? cost, DateTimeOffset at, CancellationToken ct)
    {
        var item = await db.Items.FirstOrDefaultAsync(i => i.ItemId == itemId, ct);
        if (item is not null && item.UpdatedAt > at)
        {
            return [];
        }
        if (item is null)
        {
            item = new ItemCopy { ItemId = itemId, ProcessId = processId, Kind = kind ?? "unknown", Title = title };
            db.Items.Add(item);
        }
        item.Kind = kind ?? item.Kind;
        item.Title = title.Length > 300 ? title[..300] : title;
        item.District = district;
        item.CostEstimate = cost;
        item.UpdatedAt = at;

        var options = await db.BallotOptions.Where(o => o.ItemId == itemId).ToListAsync(ct);
        var drafts = await db.Ballots.Where(b => b.Status == BallotStatus.Draft && options.Select(o => o.BallotId).Contains(b.Id))
            .Select(b => b.Id).ToListAsync(ct);
        foreach (var option in options)
        {
            option.Title = item.Title;
            if (drafts.Contains(option.BallotId) && cost is not null)
            {
                option.Cost = cost;
            }
        }
        return options.Select(o => o.BallotId).Distinct().ToList();
    }
}

/// <summary>
/// Copies the phase with its switches; ballots that follow it get its times. Events may arrive in any order: the
/// switches carry the time they hold from, and an ended phase stays ended unless it starts again later.
/// </summary>
public sealed class PhaseStartedConsumer(VotingDb db, BallotCache cache) : IConsumer<PhaseStarted>
{
    public async Task Consume(ConsumeContext<PhaseStarted> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(PhaseStartedConsumer)))
        {
            return;
        }
        var m = context.Message;
        var startsAt = m.StartsAt.ToUniversalTime();
        var phase = await PhaseCopies.FindOrAddAsync(db, m.PhaseId, m.ProcessId, m.Title, context.CancellationToken);
        phase.Title = m.Title.Length > 300 ? m.Title[..300] : m.Title;
        phase.StartsAt = startsAt;
        phase.EndsAt = m.EndsAt.ToUniversalTime();
        if (phase.EndedAt is { } ended && startsAt > ended)
        {
            phase.EndedAt = null;
        }
        if (startsAt >= phase.SwitchesAsOf)
        {
            phase.Voting = m.Switches.Voting;
            phase.SwitchesAsOf = startsAt;
        }
        var ballots = await db.Ballots
            .Where(b => b.PhaseId == m.PhaseId && b.FollowsPhase && (b.Status == BallotStatus.Draft || b.Status == BallotStatus.Published))
            .ToListAsync(context.CancellationToken);
        foreach (var ballot in ballots)
        {
            ballot.OpensAt = m.StartsAt;
            ballot.ClosesAt = m.EndsAt;
            ballot.UpdatedAt = DateTimeOffset.UtcNow;
            if (ballot.Status == BallotStatus.Published)
            {
                db.AddOutboxMessage(new Contracts.BallotOpened(ballot.Id, ballot.ProcessId, ballot.PhaseId, ballot.Title,
                    BallotResults.Kebab(ballot.Method.ToString()), m.StartsAt, m.EndsAt));
            }
        }
        await db.SaveChangesAsync(context.CancellationToken);
        await PhaseCopies.ReloadBallotsAsync(db, cache, m.PhaseId, context.CancellationToken);
    }
}

/// <summary>Staff switched voting (or another switch) of the running phase: its ballots take votes or refuse them from then on.</summary>
public sealed class PhaseSwitchesChangedConsumer(VotingDb db, BallotCache cache) : IConsumer<PhaseSwitchesChanged>
{
    public async Task Consume(ConsumeContext<PhaseSwitchesChanged> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(PhaseSwitchesChangedConsumer)))
        {
            return;
        }
        var m = context.Message;
        var changedAt = m.ChangedAt.ToUniversalTime();
        var phase = await PhaseCopies.FindOrAddAsync(db, m.PhaseId, m.ProcessId, null, context.CancellationToken);
        if (changedAt >= phase.SwitchesAsOf)
        {
            phase.Voting = m.Switches.Voting;
            phase.SwitchesAsOf = changedAt;
        }
        await db.SaveChangesAsync(context.CancellationToken);
        await PhaseCopies.ReloadBallotsAsync(db, cache, m.PhaseId, context.CancellationToken);
    }
}

internal static class PhaseCopies
{
    public static async Task<PhaseCopy> FindOrAddAsync(VotingDb db, Guid phaseId, Guid processId, string? title, CancellationToken ct)
    {
        var phase = await db.Phases.FirstOrDefaultAsync(p => p.PhaseId == phaseId, ct);
        if (phase is null)
        {
            // Until PhaseStarted tells more: times unknown, switches as of the epoch (any real event is newer).
            phase = new PhaseCopy { PhaseId = phaseId, ProcessId = processId, Title = title ?? "", SwitchesAsOf = DateTimeOffset.UnixEpoch };
            db.Phases.Add(phase);
        }
        return phase;
    }

    /// <summary>Every ballot of the phase (following it or not) reloads here and on the other instances.</summary>
    public static async Task ReloadBallotsAsync(VotingDb db, BallotCache cache, Guid phaseId, CancellationToken ct)
    {
        var ids = await db.Ballots.AsNoTracking().Where(b => b.PhaseId == phaseId).Select(b => b.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            await cache.ChangedAsync(id, ct);
        }
    }
}

/// <summary>A phase ended (possibly early): ballots that follow it end no later than that.</summary>
public sealed class PhaseEndedConsumer(VotingDb db, BallotCache cache) : IConsumer<PhaseEnded>
{
    public async Task Consume(ConsumeContext<PhaseEnded> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(PhaseEndedConsumer)))
        {
            return;
        }
        var m = context.Message;
        var endedAt = m.EndedAt.ToUniversalTime();
        var phase = await PhaseCopies.FindOrAddAsync(db, m.PhaseId, m.ProcessId, null, context.CancellationToken);
        if (phase.StartsAt == default || endedAt >= phase.StartsAt)
        {
            phase.EndedAt ??= endedAt;
        }
        var ballots = await db.Ballots
            .Where(b => b.PhaseId == m.PhaseId && b.FollowsPhase && (b.Status == BallotStatus.Draft || b.Status == BallotStatus.Published))
            .ToListAsync(context.CancellationToken);
        foreach (var ballot in ballots)
        {
            if (ballot.ClosesAt is null || ballot.ClosesAt > m.EndedAt)
            {
                ballot.ClosesAt = m.EndedAt;
                ballot.UpdatedAt = DateTimeOffset.UtcNow;
            }
        }
        await db.SaveChangesAsync(context.CancellationToken);
        await PhaseCopies.ReloadBallotsAsync(db, cache, m.PhaseId, context.CancellationToken);
    }
}

/// <summary>Who may see a process: its ballots, results and votes follow (<see cref="ProcessGate"/>).</summary>
public sealed class ProcessVisibilityChangedConsumer(VotingDb db, ProcessGate gate) : IConsumer<ProcessVisibilityChanged>
{
    public async Task Consume(ConsumeContext<ProcessVisibilityChanged> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessVisibilityChangedConsumer)))
        {
            return;
        }
        var m = context.Message;
        var copy = await db.ProcessVisibility.FirstOrDefaultAsync(p => p.ProcessId == m.ProcessId, context.CancellationToken);
        if (copy is null)
        {
            db.ProcessVisibility.Add(copy = ProcessVisibilityCopy.Empty(m.ProcessId));
        }
        copy.Apply(m);
        await db.SaveChangesAsync(context.CancellationToken);
        gate.Invalidate();
    }
}

/// <summary>Who may see one phase: its ballots, results and votes follow (<see cref="ProcessGate"/>).</summary>
public sealed class PhaseVisibilityChangedConsumer(VotingDb db, ProcessGate gate) : IConsumer<PhaseVisibilityChanged>
{
    public async Task Consume(ConsumeContext<PhaseVisibilityChanged> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(PhaseVisibilityChangedConsumer)))
        {
            return;
        }
        var m = context.Message;
        var phase = await PhaseCopies.FindOrAddAsync(db, m.PhaseId, m.ProcessId, null, context.CancellationToken);
        if (PhaseVisibilityCopy.Apply(phase.VisibilityAsOf, m) is { } applied)
        {
            (phase.Visibility, phase.VisibilityAsOf) = applied;
        }
        await db.SaveChangesAsync(context.CancellationToken);
        gate.Invalidate();
    }
}
