using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Notifications;
using Mitreden.Moderation.Contracts;
using Mitreden.Proposals.Contracts;
using Mitreden.Voting.Contracts;

namespace Mitreden.Identity.Api.Consumers;

/// <summary>
/// Turns other services' events into notifications (<see cref="Notifier"/>; idempotent by its unique key). Only ids
/// and titles arrive here: no service but Identity knows an address.
/// </summary>
public sealed class NotificationConsumer(Notifier notifier, IdentityDb db, TimeProvider time) :
    IConsumer<CommentPosted>, IConsumer<CommentModerated>, IConsumer<BallotOpened>, IConsumer<PhaseStarted>,
    IConsumer<ResultPublished>, IConsumer<NewsPostPublished>
{
    public async Task Consume(ConsumeContext<CommentPosted> context)
    {
        var posted = context.Message;
        // Nobody answers themselves.
        if (posted.ParentAuthorId is not { } parentAuthor || parentAuthor == posted.AuthorId)
        {
            return;
        }
        if (posted.AwaitingReview)
        {
            // Not visible yet: kept until a moderator approves it (below).
            await HoldAsync(posted, parentAuthor, context.CancellationToken);
            return;
        }
        await notifier.ToAsync([parentAuthor], ReplySource(posted.CommentId, posted.ProcessId, posted.ItemId, Excerpt(posted.Text)),
            context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<CommentModerated> context)
    {
        var decided = context.Message;
        // Only a moderator's decision: an automatic hold is not one, and the author hears of the moderator's verdict.
        if (decided.ModeratorId is null || decided.Decision == Decisions.HoldForReview)
        {
            return;
        }
        if (decided.AuthorId is { } author)
        {
            await notifier.ToAsync([author], new NotificationSource(NotificationKinds.Moderation, decided.DecisionId, null,
                decided.Decision, decided.NoteToAuthor, "/konto", decided.Reason), context.CancellationToken);
        }
        if (decided.Decision is Decisions.Approve or Decisions.Restore)
        {
            await ReleaseAsync(decided.CommentId, context.CancellationToken);
        }
    }

    private async Task HoldAsync(CommentPosted posted, Guid parentAuthor, CancellationToken ct)
    {
        if (await db.HeldReplies.AnyAsync(h => h.CommentId == posted.CommentId, ct) || !await db.Users.AnyAsync(u => u.Id == parentAuthor, ct))
        {
            return;
        }
        db.HeldReplies.Add(new HeldReply
        {
            CommentId = posted.CommentId, ParentAuthorId = parentAuthor, ProcessId = posted.ProcessId, ItemId = posted.ItemId,
            Excerpt = Excerpt(posted.Text), HeldAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The approved reply is visible now: its parent's author is told, once (the notification's unique key holds when
    /// the decision is delivered again before the held row is gone).
    /// </summary>
    private async Task ReleaseAsync(Guid commentId, CancellationToken ct)
    {
        var held = await db.HeldReplies.SingleOrDefaultAsync(h => h.CommentId == commentId, ct);
        if (held is null)
        {
            return;
        }
        await notifier.ToAsync([held.ParentAuthorId], ReplySource(held.CommentId, held.ProcessId, held.ItemId, held.Excerpt), ct);
        db.HeldReplies.Remove(held);
        await db.SaveChangesAsync(ct);
    }

    private static NotificationSource ReplySource(Guid commentId, Guid processId, Guid itemId, string excerpt) =>
        new(NotificationKinds.Reply, commentId, processId, excerpt, null, $"/inhalte/{itemId}");

    public Task Consume(ConsumeContext<BallotOpened> context) =>
        notifier.ToFollowersAsync(new NotificationSource(NotificationKinds.Ballot, context.Message.BallotId, context.Message.ProcessId,
            context.Message.Title, null, $"/abstimmungen/{context.Message.BallotId}", PhaseId: context.Message.PhaseId), context.CancellationToken);

    public Task Consume(ConsumeContext<PhaseStarted> context) =>
        notifier.ToFollowersAsync(new NotificationSource(NotificationKinds.Phase, context.Message.PhaseId, context.Message.ProcessId,
            context.Message.Title, null, $"/prozesse/{context.Message.ProcessId}", PhaseId: context.Message.PhaseId), context.CancellationToken);

    public Task Consume(ConsumeContext<ResultPublished> context) =>
        notifier.ToFollowersAsync(new NotificationSource(NotificationKinds.Results, context.Message.BallotId, context.Message.ProcessId,
            "", null, $"/abstimmungen/{context.Message.BallotId}/ergebnis", PhaseId: context.Message.PhaseId), context.CancellationToken);

    public Task Consume(ConsumeContext<NewsPostPublished> context) =>
        notifier.ToFollowersAsync(new NotificationSource(NotificationKinds.News, context.Message.PostId, context.Message.ProcessId,
            context.Message.Title, null, $"/prozesse/{context.Message.ProcessId}/neuigkeiten"), context.CancellationToken);

    /// <summary>The start of the reply, on one line.</summary>
    private static string Excerpt(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 200 ? line : line[..199] + "…";
    }
}

public sealed class NotificationConsumerDefinition : ConsumerDefinition<NotificationConsumer>
{
    public NotificationConsumerDefinition() => EndpointName = "identity-notifications";
}

/// <summary>Identity's copy of the processes' events, for the reminders (<see cref="EventCopy"/>).</summary>
public sealed class EventCopyConsumer(EventCopy copy) : IConsumer<EventScheduled>, IConsumer<EventCancelled>
{
    public Task Consume(ConsumeContext<EventScheduled> context) => copy.ApplyAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<EventCancelled> context) => copy.CancelAsync(context.Message, context.CancellationToken);
}

public sealed class EventCopyConsumerDefinition : ConsumerDefinition<EventCopyConsumer>
{
    public EventCopyConsumerDefinition() => EndpointName = "identity-event-copies";
}

/// <summary>Identity's copy of who may see a process and its phases; an older event than the copy changes nothing.</summary>
public sealed class ProcessAudienceConsumer(IdentityDb db) : IConsumer<ProcessVisibilityChanged>, IConsumer<PhaseVisibilityChanged>
{
    public async Task Consume(ConsumeContext<ProcessVisibilityChanged> context)
    {
        var changed = context.Message;
        var copy = await db.ProcessAudiences.SingleOrDefaultAsync(a => a.ProcessId == changed.ProcessId, context.CancellationToken);
        if (copy is null)
        {
            copy = ProcessVisibilityCopy.Empty(changed.ProcessId);
            db.ProcessAudiences.Add(copy);
        }
        copy.Apply(changed);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<PhaseVisibilityChanged> context)
    {
        var changed = context.Message;
        var copy = await db.PhaseAudiences.SingleOrDefaultAsync(a => a.PhaseId == changed.PhaseId, context.CancellationToken);
        if (copy is null)
        {
            copy = new PhaseAudience { PhaseId = changed.PhaseId, ProcessId = changed.ProcessId, Visibility = ProcessVisibilities.Public, AsOf = DateTimeOffset.UnixEpoch };
            db.PhaseAudiences.Add(copy);
        }
        if (PhaseVisibilityCopy.Apply(copy.AsOf, changed) is { } applied)
        {
            (copy.Visibility, copy.AsOf) = applied;
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class ProcessAudienceConsumerDefinition : ConsumerDefinition<ProcessAudienceConsumer>
{
    public ProcessAudienceConsumerDefinition() => EndpointName = "identity-process-audiences";
}
