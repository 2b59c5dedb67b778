namespace Mitreden.Moderation.Contracts.Http;

// Moderation's HTTP types, owned by Moderation and read by the web (additive changes only, like the events).
// Enums travel as kebab-case strings.

/// <summary>A screening flag on a queued comment.</summary>
public sealed record QueueFlag(string Rule, string Severity, string? Detail, DateTimeOffset At);

/// <summary>A report as the moderator sees it (without the reporter's id).</summary>
public sealed record QueueReport(Guid ReportId, string Reason, string? Note, DateTimeOffset ReportedAt);

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
    IReadOnlyList<QueueFlag> Flags,
    IReadOnlyList<QueueReport> Reports);

/// <param name="Total">Entries matching the filters.</param>
/// <param name="Next">Cursor for the following page; null on the last page.</param>
/// <param name="Page">The page shown when paged by number (1 when paged by cursor).</param>
/// <param name="Counts">Entries of the queue (of the process, when one is given) per state and per reason, ignoring the state and reason filters.</param>
public sealed record QueuePage(IReadOnlyList<QueueEntry> Items, int Total, string? Next, int Page, int PageSize, QueueCounts Counts);

/// <param name="ByReason">Per report reason (open reports), and <c>screening</c> for open screening flags.</param>
public sealed record QueueCounts(int All, IReadOnlyDictionary<string, int> ByState, IReadOnlyDictionary<string, int> ByReason);

public sealed record ModerationDecisionView(Guid DecisionId, string Decision, string? Reason, string? NoteToAuthor, Guid? ModeratorId,
    string? Trigger, string PreviousState, string NewState, DateTimeOffset DecidedAt, int Version, DateTimeOffset? AuthorBlockedUntil);

/// <summary>A comment with all its decisions, in or out of the queue.</summary>
public sealed record ModeratedCommentView(QueueEntry Comment, IReadOnlyList<ModerationDecisionView> Decisions);

public enum DecisionKind
{
    Approve,
    Hide,
    Restore,
}

/// <param name="Days">Length of the block, 1 to 365 days.</param>
/// <param name="Justification">Why the author is blocked; Identity shows it to the author.</param>
public sealed record BlockAuthorRequest(int Days, string Justification);

/// <param name="Version">The comment's version the moderator saw; a decision made meanwhile makes this a conflict.</param>
/// <param name="Reason">Required for hide: one of the HideReasons codes. Not allowed otherwise.</param>
/// <param name="NoteToAuthor">Required for hide; shown to the author with the reason.</param>
public sealed record DecisionRequest(DecisionKind Decision, int Version, string? Reason = null, string? NoteToAuthor = null,
    BlockAuthorRequest? BlockAuthor = null);

/// <param name="Next">The queue entry to review next (same process), so a keyboard UI can decide and move on; null when the queue is empty.</param>
public sealed record DecisionResponse(Guid DecisionId, Guid CommentId, string Decision, string State, int Version,
    DateTimeOffset DecidedAt, DateTimeOffset? AuthorBlockedUntil, QueueEntry? Next);

public sealed record AuditRecord(long Id, DateTimeOffset At, Guid? ActorId, string Action, Guid? ProcessId, Guid? CommentId,
    Guid? DecisionId, string? Reason, string? Note, string? PreviousState, string? NewState, string? Details);

/// <param name="Next">The cursor of the next (older) page, null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, string? Next);

/// <summary>Whether a flag only puts the comment into the queue or also hides it until a moderator decides.</summary>
public enum FlagSeverity
{
    Queue,
    Hold,
}

/// <summary>Whole-word match (case-insensitive, umlaut and leetspeak normalised) against German and English lists.</summary>
public sealed record WordRule(bool Enabled, FlagSeverity Severity, IReadOnlyList<string> German, IReadOnlyList<string> English);

/// <summary>More than <paramref name="MaxLinks"/> links in one comment.</summary>
public sealed record LinkRule(bool Enabled, FlagSeverity Severity, int MaxLinks);

/// <summary>
/// The same normalised text posted more than <paramref name="MaxRepeatsByAnyone"/> times by anyone, or more than
/// <paramref name="MaxRepeatsByAuthor"/> times by the same author, within the window. Texts shorter than
/// <paramref name="MinLength"/> normalised characters ("Danke!", "+1") are not counted.
/// </summary>
public sealed record RepeatedTextRule(bool Enabled, FlagSeverity Severity, int MaxRepeatsByAnyone, int MaxRepeatsByAuthor,
    int WindowMinutes, int MinLength);

/// <summary>An author posting more than <paramref name="MaxComments"/> comments in <paramref name="WindowMinutes"/> minutes.</summary>
public sealed record PostingRateRule(bool Enabled, FlagSeverity Severity, int MaxComments, int WindowMinutes);

/// <summary>The screening rules as staff edit them (checked by Moderation: <c>ScreeningRulesChecks.Validate</c>).</summary>
public sealed record ScreeningRules(WordRule Words, LinkRule Links, RepeatedTextRule RepeatedText, PostingRateRule PostingRate)
{
    public const int MaxWordsPerList = 2000;
    public const int MaxWordLength = 64;
}

/// <param name="ProcessId">Null for the global rules.</param>
/// <param name="Source">process, global or configuration: where the rules in effect come from.</param>
public sealed record ScreeningRulesView(Guid? ProcessId, string Source, ScreeningRules Rules, DateTimeOffset? UpdatedAt, Guid? UpdatedBy);

/// <param name="MedianSecondsToDecision">Median time from entering the queue to a moderator's decision; null before the first one.</param>
/// <param name="DecisionsByReason">Moderators' hides by reason code.</param>
/// <param name="DecisionsByKind">All decisions by kind, automatic holds included.</param>
public sealed record MetricsSummary(Guid? ProcessId, int QueueLength, int AwaitingReview, int Held, int OpenReports,
    double? MedianSecondsToDecision, IReadOnlyDictionary<string, int> DecisionsByReason, IReadOnlyDictionary<string, int> DecisionsByKind);
