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
public sealed class NotificationConsumer(Notifier notifier) :
    IConsumer<CommentPosted>, IConsumer<CommentModerated>, IConsumer<BallotOpened>, IConsumer<PhaseStarted>,
    IConsumer<ResultPublished>, IConsumer<NewsPostPublished>
{
    public Task Consume(ConsumeContext<CommentPosted> context)
    {
        var posted = context.Message;
        // A reply held for review is not visible yet; nobody answers themselves.
        if (posted.ParentAuthorId is not { } parentAuthor || parentAuthor == posted.AuthorId || posted.AwaitingReview)
        {
            return Task.CompletedTask;
        }
        return notifier.ToAsync([parentAuthor], new NotificationSource(NotificationKinds.Reply, posted.CommentId, posted.ProcessId,
            Excerpt(posted.Text), null, $"/inhalte/{posted.ItemId}"), context.CancellationToken);
    }

    public Task Consume(ConsumeContext<CommentModerated> context)
    {
        var decided = context.Message;
        // Only a moderator's decision: an automatic hold is not one, and the author hears of the moderator's verdict.
        if (decided.AuthorId is not { } author || decided.ModeratorId is null || decided.Decision == Decisions.HoldForReview)
        {
            return Task.CompletedTask;
        }
        return notifier.ToAsync([author], new NotificationSource(NotificationKinds.Moderation, decided.DecisionId, null,
            decided.Decision, decided.NoteToAuthor, "/konto", decided.Reason), context.CancellationToken);
    }

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
