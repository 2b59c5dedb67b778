namespace Mitreden.Comments.Contracts.Http;

// Comments' HTTP types, owned by Comments and read by the web (additive changes only, like the events).
// Enums travel as kebab-case strings ("awaiting-review", "off-topic").

/// <summary>Where a comment stands with the moderation; deletion by the author is tracked separately.</summary>
public enum CommentStatus
{
    /// <summary>Visible to everyone.</summary>
    Published,
    /// <summary>Pre-moderation: only the author sees it until a moderator approves it.</summary>
    AwaitingReview,
    /// <summary>Held by a moderator or a screening rule until a decision; others see a placeholder.</summary>
    UnderReview,
    /// <summary>Hidden by the moderation; the author sees the reason, others a placeholder with the reason code.</summary>
    Hidden,
}

/// <summary>Stance on the item, for weighing scenarios; JSON "pro" | "contra" | "neutral" (<see cref="Stances"/>).</summary>
public enum Stance
{
    Pro,
    Contra,
    Neutral,
}

/// <summary>JSON: insult | spam | off-topic | personal-data | advertising | other (<see cref="ReportReasons"/>).</summary>
public enum ReportReason
{
    Insult,
    Spam,
    OffTopic,
    PersonalData,
    Advertising,
    Other,
}

/// <param name="Deleted">True for an account deleted at the author's request ("gelöschter Nutzer").</param>
public sealed record AuthorView(string Name, bool Deleted);

/// <param name="Reason">Reason code of the last moderation decision (Moderation.Contracts.HideReasons).</param>
/// <param name="Note">The moderator's note to the author; only the author and moderators see it.</param>
public sealed record ModerationView(string? Reason, string? Note, DateTimeOffset? DecidedAt);

/// <param name="Text">Null when the viewer may not read it (deleted, or hidden/under review for others).</param>
/// <param name="Notice">What to show instead of or next to the text: "[gelöscht]", the moderation placeholder,
/// or for the author "wartet auf Freigabe" / "wird geprüft" / the hiding.</param>
/// <param name="Author">Null when the text is not shown.</param>
/// <param name="Replies">Top-level comments in a thread listing only: the first replies, oldest first.</param>
/// <param name="MoreRepliesCursor">Cursor for GET /comments/{id}/replies when more replies exist.</param>
public sealed record CommentView(
    Guid Id,
    Guid ItemId,
    Guid? ParentId,
    CommentStatus Status,
    bool Deleted,
    string? Text,
    string? Notice,
    Stance Stance,
    AuthorView? Author,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt,
    int Supports,
    bool SupportedByMe,
    bool IsMine,
    bool CanEdit,
    ModerationView? Moderation,
    int ReplyCount,
    IReadOnlyList<CommentView>? Replies,
    string? MoreRepliesCursor);

/// <param name="Reason">Why the caller cannot comment now: item-unknown, commenting-closed, or email-unconfirmed (the
/// caller's account has no confirmed email address and the process requires one).</param>
/// <param name="ConfirmedEmailRequired">The process lets only accounts with a confirmed email address comment.</param>
public sealed record CommentingView(bool Open, bool PreModeration, string? Reason, bool ConfirmedEmailRequired = true);

/// <param name="Total">Comments and replies visible to everyone (placeholders included).</param>
public sealed record ThreadPage(Guid ItemId, int Total, CommentingView Commenting, IReadOnlyList<CommentView> Comments, string? NextCursor);

public sealed record RepliesPage(Guid ParentId, IReadOnlyList<CommentView> Replies, string? NextCursor);

/// <param name="Parent">The top-level comment a reply belongs to (context), if the caller may see it.</param>
public sealed record CommentDetail(CommentView Comment, CommentView? Parent);

public sealed record RevisionView(string Text, Stance Stance, DateTimeOffset WrittenAt, DateTimeOffset ReplacedAt);

public sealed record DecisionView(Guid DecisionId, string Decision, string? Reason, string? NoteToAuthor, Guid? ModeratorId,
    DateTimeOffset DecidedAt, bool Applied);

public sealed record ReportView(Guid Id, Guid CommentId, ReportReason Reason, string? Note, DateTimeOffset CreatedAt, bool Open);

/// <summary>Everything a moderator needs to judge a comment in its context, whatever its status.</summary>
public sealed record ModeratorCommentView(
    CommentView Comment,
    Guid? AuthorId,
    Guid ProcessId,
    int OpenReports,
    CommentView? Parent,
    IReadOnlyList<CommentView> Replies,
    IReadOnlyList<RevisionView> Revisions,
    IReadOnlyList<ReportView> Reports,
    IReadOnlyList<DecisionView> Decisions);

/// <param name="Text">1 to 5000 characters after trimming.</param>
/// <param name="Stance">Default neutral.</param>
/// <param name="ParentId">The comment answered. Threads have two levels: an answer to a reply joins the thread of
/// that reply's top-level comment (it is not refused).</param>
public sealed record PostCommentRequest(string Text, Stance? Stance = null, Guid? ParentId = null);

/// <param name="Stance">Unchanged when omitted.</param>
public sealed record EditCommentRequest(string Text, Stance? Stance = null);

/// <param name="Note">Free text up to 1000 characters; required for "other".</param>
public sealed record ReportCommentRequest(ReportReason Reason, string? Note = null);
