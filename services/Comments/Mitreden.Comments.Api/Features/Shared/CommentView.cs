using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Shared;


/// <summary>Turns stored comments into what one viewer may see.</summary>
internal sealed class CommentPresenter(Guid? viewer, bool moderator, DateTimeOffset now, TimeSpan editWindow, IReadOnlySet<Guid>? upvoted = null)
{
    public const string DeletedNotice = "[gelöscht]";
    public const string HiddenNotice = "Dieser Beitrag wurde von der Moderation ausgeblendet";
    public const string UnderReviewNotice = "Dieser Beitrag wird von der Moderation geprüft";
    public const string AwaitingReviewOwnNotice = "Wartet auf Freigabe durch die Moderation – nur Sie sehen diesen Beitrag.";
    public const string UnderReviewOwnNotice = "Wird geprüft – bis zur Entscheidung der Moderation sehen nur Sie diesen Beitrag.";
    public const string HiddenOwnNotice = "Von der Moderation ausgeblendet – nur Sie sehen diesen Beitrag.";

    public bool IsMine(Comment c) => viewer is { } me && c.AuthorId == me;

    public bool CanEdit(Comment c) =>
        IsMine(c) && !c.IsDeleted && c.Status is CommentStatus.Published or CommentStatus.AwaitingReview
        && now - c.CreatedAt <= editWindow;

    public CommentView Present(Comment c, int replyCount = 0, IReadOnlyList<CommentView>? replies = null, string? moreRepliesCursor = null)
    {
        var mine = IsMine(c);
        var insider = mine || moderator;
        string? text;
        string? notice;
        ModerationView? moderation = null;
        var decision = new ModerationView(c.ModerationReason, c.ModerationNote, c.LastDecidedAt);

        if (c.IsDeleted)
        {
            text = null;
            notice = DeletedNotice;
        }
        else
        {
            switch (c.Status)
            {
                case CommentStatus.AwaitingReview:
                    text = c.Text;
                    notice = AwaitingReviewOwnNotice;
                    moderation = insider && c.LastDecidedAt is not null ? decision : null;
                    break;
                case CommentStatus.UnderReview:
                    text = insider ? c.Text : null;
                    notice = insider ? UnderReviewOwnNotice : UnderReviewNotice;
                    moderation = insider ? decision : null;
                    break;
                case CommentStatus.Hidden:
                    text = insider ? c.Text : null;
                    notice = insider ? HiddenOwnNotice : HiddenNotice;
                    // Everyone sees why (the reason code); only the author and moderators read the note.
                    moderation = insider ? decision : decision with { Note = null };
                    break;
                default:
                    text = c.Text;
                    notice = null;
                    break;
            }
        }

        var author = text is null ? null
            : new AuthorView(c.AuthorDeleted ? Comment.DeletedUserName : c.AuthorName, c.AuthorDeleted);
        return new CommentView(c.Id, c.ItemId, c.ParentId, c.Status, c.IsDeleted, text, notice,
            StanceMapping.FromContract(c.Stance), author, c.CreatedAt, c.EditedAt, c.Supports,
            upvoted?.Contains(c.Id) == true, mine, CanEdit(c), moderation, replyCount, replies, moreRepliesCursor);
    }
}
