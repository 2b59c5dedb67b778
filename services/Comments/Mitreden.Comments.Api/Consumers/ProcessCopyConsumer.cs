using MassTransit;
using Mitreden.Comments.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Comments.Api.Consumers;

/// <summary>
/// Keeps our copy of phases (with their switches), of each process's commenting rules and visibility and of the item → process mapping. Events may arrive in
/// any order: switches carry the time they are valid from, and an ended phase stays ended unless it starts again later.
/// Event times are kept in UTC (timestamptz accepts no other offset).
/// </summary>
public sealed class ProcessCopyConsumer(CommentsDb db) :
    IConsumer<PhaseStarted>, IConsumer<PhaseEnded>, IConsumer<PhaseSwitchesChanged>, IConsumer<ItemPublished>,
    IConsumer<ProcessCommentingRulesChanged>, IConsumer<ProcessVisibilityChanged>, IConsumer<PhaseVisibilityChanged>, IConsumer<ItemUpdated>
{
    public async Task Consume(ConsumeContext<PhaseVisibilityChanged> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessCopyConsumer))) return;
        var m = context.Message;
        var phase = await FindOrAddAsync(m.PhaseId, m.ProcessId, context.CancellationToken);
        if (PhaseVisibilityCopy.Apply(phase.VisibilityAsOf, m) is { } applied)
        {
            (phase.Visibility, phase.VisibilityAsOf) = applied;
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>An item may move to another phase; only its phase matters here.</summary>
    public async Task Consume(ConsumeContext<ItemUpdated> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessCopyConsumer))) return;
        var m = context.Message;
        await UpsertItemAsync(m.ItemId, m.ProcessId, m.PhaseId, m.UpdatedAt.ToUniversalTime(), context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ProcessVisibilityChanged> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessCopyConsumer))) return;
        var m = context.Message;
        var copy = await db.ProcessVisibility.FindAsync([m.ProcessId], context.CancellationToken);
        if (copy is null)
        {
            db.ProcessVisibility.Add(copy = ProcessVisibilityCopy.Empty(m.ProcessId));
        }
        copy.Apply(m);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ProcessCommentingRulesChanged> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessCopyConsumer))) return;
        var m = context.Message;
        var changedAt = m.ChangedAt.ToUniversalTime();
        var rules = await db.ProcessRules.FindAsync([m.ProcessId], context.CancellationToken);
        if (rules is null)
        {
            db.ProcessRules.Add(rules = new ProcessRulesCopy { ProcessId = m.ProcessId, AsOf = DateTimeOffset.UnixEpoch });
        }
        if (changedAt >= rules.AsOf)
        {
            rules.UnconfirmedAccountsMayComment = m.UnconfirmedAccountsMayComment;
            rules.AsOf = changedAt;
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<PhaseStarted> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessCopyConsumer))) return;
        var m = context.Message;
        var startsAt = m.StartsAt.ToUniversalTime();
        var phase = await FindOrAddAsync(m.PhaseId, m.ProcessId, context.CancellationToken);
        phase.ProcessId = m.ProcessId;
        phase.StartedAt = startsAt;
        phase.EndsAt = m.EndsAt.ToUniversalTime();
        if (phase.EndedAt is { } ended && startsAt > ended)
        {
            phase.EndedAt = null;
        }
        if (startsAt >= phase.SwitchesAsOf)
        {
            Apply(phase, m.Switches, startsAt);
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<PhaseEnded> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessCopyConsumer))) return;
        var m = context.Message;
        var endedAt = m.EndedAt.ToUniversalTime();
        var phase = await FindOrAddAsync(m.PhaseId, m.ProcessId, context.CancellationToken);
        if (phase.StartedAt is null || endedAt >= phase.StartedAt)
        {
            phase.EndedAt ??= endedAt;
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<PhaseSwitchesChanged> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessCopyConsumer))) return;
        var m = context.Message;
        var changedAt = m.ChangedAt.ToUniversalTime();
        var phase = await FindOrAddAsync(m.PhaseId, m.ProcessId, context.CancellationToken);
        if (changedAt >= phase.SwitchesAsOf)
        {
            Apply(phase, m.Switches, changedAt);
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ItemPublished> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(ProcessCopyConsumer))) return;
        var m = context.Message;
        await UpsertItemAsync(m.ItemId, m.ProcessId, m.PhaseId, m.PublishedAt.ToUniversalTime(), context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    private async Task UpsertItemAsync(Guid itemId, Guid processId, Guid? phaseId, DateTimeOffset asOf, CancellationToken ct)
    {
        var item = await db.Items.FindAsync([itemId], ct);
        if (item is null)
        {
            db.Items.Add(item = new ItemCopy { ItemId = itemId, ProcessId = processId });
        }
        item.ProcessId = processId;
        if (asOf >= item.PhaseAsOf)
        {
            item.PhaseId = phaseId;
            item.PhaseAsOf = asOf;
        }
    }

    private async Task<PhaseCopy> FindOrAddAsync(Guid phaseId, Guid processId, CancellationToken ct)
    {
        var phase = await db.Phases.FindAsync([phaseId], ct);
        if (phase is null)
        {
            // Until PhaseStarted tells more, all switches are off; any real event is newer than the epoch.
            phase = new PhaseCopy { PhaseId = phaseId, ProcessId = processId, SwitchesAsOf = DateTimeOffset.UnixEpoch };
            db.Phases.Add(phase);
        }
        return phase;
    }

    private static void Apply(PhaseCopy phase, PhaseSwitches switches, DateTimeOffset asOf)
    {
        phase.Commenting = switches.Commenting;
        phase.PreModeration = switches.PreModeration;
        phase.SwitchesAsOf = asOf;
    }
}

public sealed class ProcessCopyConsumerDefinition : ConsumerDefinition<ProcessCopyConsumer>
{
    // Queue names are per service: another service's consumer of the same events must not share our queue.
    public ProcessCopyConsumerDefinition() => EndpointName = "comments-process-copy";
}
