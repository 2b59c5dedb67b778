using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Posting;

public static class PostingApi
{
    public static IEndpointRouteBuilder MapPostingApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/items/{itemId:guid}/comments", PostAsync)
            .RequireAuthorization(AuthPolicies.Citizen)
            .WithTags("Comments")
            .WithName("PostComment");
        return app;
    }

    internal static async Task<Results<Created<CommentView>, ProblemHttpResult>> PostAsync(Guid itemId, PostCommentRequest body,
        HttpContext http, CommentsDb db, TimeProvider time, IOptions<CommentsOptions> options, CancellationToken ct)
    {
        var (text, error) = TextRules.Check(body.Text);
        if (error is not null)
        {
            return Problems.Invalid("text", error);
        }
        var now = time.UtcNowMicros();
        var participant = await Participation.CheckAsync(db, http, now, ct);
        if (participant.Refusal is { } refused)
        {
            return refused;
        }
        if (!await db.MaySeeItemAsync(itemId, http.User, ct))
        {
            return Problems.NotFound("Diesen Inhalt gibt es nicht.");
        }
        var state = await Commenting.GetStateAsync(db, itemId, now, ct);
        if (Commenting.RefusalFor(state) is { } closed)
        {
            return closed;
        }
        if (Commenting.NeedsConfirmedEmail(state, http.User))
        {
            return Commenting.EmailUnconfirmed();
        }

        Guid? threadId = null;
        Guid? parentAuthorId = null;
        if (body.ParentId is { } parentId)
        {
            var parent = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parentId, ct);
            if (parent is null || !parent.IsVisibleTo(participant.UserId))
            {
                return Problems.Invalid("parentId", "Den Beitrag, auf den Sie antworten, gibt es nicht.");
            }
            if (parent.ItemId != itemId)
            {
                return Problems.Invalid("parentId", "Der Beitrag, auf den Sie antworten, gehört zu einem anderen Inhalt.");
            }
            parentAuthorId = parent.AuthorId;
            var top = parent.ParentId is { } topId
                ? await db.Comments.AsNoTracking().FirstAsync(c => c.Id == topId, ct)
                : parent;
            if (IsClosedForReplies(parent) || IsClosedForReplies(top))
            {
                return Problems.Conflict("Auf diesen Beitrag kann nicht mehr geantwortet werden: Er wurde gelöscht oder von der Moderation ausgeblendet.",
                    "thread-closed");
            }
            threadId = top.Id;
        }

        var awaitingReview = state.PreModeration;
        var comment = new Comment
        {
            Id = Guid.CreateVersion7(now),
            ItemId = itemId,
            ProcessId = state.ProcessId!.Value,
            ParentId = threadId,
            AuthorId = participant.UserId,
            AuthorName = participant.DisplayName,
            Text = text,
            Stance = (body.Stance ?? Stance.Neutral).ToContract(),
            CreatedAt = now,
            PublishedAt = awaitingReview ? null : now,
            Status = awaitingReview ? CommentStatus.AwaitingReview : CommentStatus.Published,
        };

        await db.InTransactionAsync(async () =>
        {
            db.Comments.Add(comment);
            db.AddOutboxMessage(new CommentPosted(comment.Id, comment.ItemId, comment.ProcessId, comment.ParentId,
                participant.UserId, comment.Text, comment.Stance, awaitingReview, now, parentAuthorId));
            if (!awaitingReview)
            {
                await db.Items.Where(i => i.ItemId == itemId)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.CommentCount, i => i.CommentCount + 1), ct);
            }
            await db.SaveChangesAsync(ct);
        }, ct);

        var view = new CommentPresenter(participant.UserId, false, now, options.Value.EditWindow).Present(comment);
        return TypedResults.Created($"/comments/{comment.Id}", view);
    }

    private static bool IsClosedForReplies(Comment c) =>
        c.IsDeleted || c.Status is CommentStatus.Hidden or CommentStatus.UnderReview;
}
