namespace Mitreden.Moderation.Api.Features.Queue;

public sealed record FlagView(string Rule, string Severity, string? Detail, DateTimeOffset At);

/// <summary>A report as the moderator sees it (without the reporter's id).</summary>
public sealed record ReportView(Guid ReportId, string Reason, string? Note, DateTimeOffset ReportedAt);

/// <summary>
/// One comment as a moderator reviews it. The author is shown by id (display names live in Identity) together with
/// how many moderator decisions (and hides) the author's other comments have had. <see cref="Version"/> goes back
/// in the decision request.
/// </summary>
public sealed record QueueEntry(
    Guid CommentId,
    Guid ProcessId,
    Guid ItemId,
    Guid? ParentId,
    Guid? AuthorId,
    int AuthorPreviousDecisions,
    int AuthorPreviousHides,
    string? Text,
    string State,
    bool InQueue,
    bool AwaitingReview,
    int OpenReports,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? PostedAt,
    DateTimeOffset? EditedAt,
    int Version,
    IReadOnlyList<FlagView> Flags,
    IReadOnlyList<ReportView> Reports);

/// <param name="Total">Entries matching the filters.</param>
/// <param name="Next">Cursor for the following page; null on the last page.</param>
/// <param name="Page">The page shown when paged by number (1 when paged by cursor).</param>
/// <param name="Counts">Entries of the queue (of the process, when one is given) per state and per reason, ignoring the state and reason filters.</param>
public sealed record QueuePage(IReadOnlyList<QueueEntry> Items, int Total, string? Next, int Page, int PageSize, QueueCounts Counts);

/// <param name="ByReason">Per report reason (open reports), and <c>screening</c> for open screening flags.</param>
public sealed record QueueCounts(int All, IReadOnlyDictionary<string, int> ByState, IReadOnlyDictionary<string, int> ByReason);

public sealed record DecisionView(Guid DecisionId, string Decision, string? Reason, string? NoteToAuthor, Guid? ModeratorId,
    string? Trigger, string PreviousState, string NewState, DateTimeOffset DecidedAt, int Version, DateTimeOffset? AuthorBlockedUntil);

/// <summary>A comment with all its decisions, in or out of the queue.</summary>
public sealed record CommentView(QueueEntry Comment, IReadOnlyList<DecisionView> Decisions);
