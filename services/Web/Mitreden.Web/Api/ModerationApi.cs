namespace Mitreden.Web.Api;

public sealed record QueueFlag(string Rule, string Severity, string? Detail, DateTimeOffset At);

public sealed record QueueReport(Guid ReportId, string Reason, string? Note, DateTimeOffset ReportedAt);

public sealed record QueueEntry(Guid CommentId, Guid ProcessId, Guid ItemId, Guid? ParentId, Guid? AuthorId, int AuthorPreviousDecisions,
    int AuthorPreviousHides, string? Text, string State, bool InQueue, bool AwaitingReview, int OpenReports, DateTimeOffset? QueuedAt,
    DateTimeOffset? PostedAt, DateTimeOffset? EditedAt, int Version, IReadOnlyList<QueueFlag> Flags, IReadOnlyList<QueueReport> Reports);

public sealed record QueueCounts(int All, IReadOnlyDictionary<string, int> ByState, IReadOnlyDictionary<string, int> ByReason);

public sealed record QueuePage(IReadOnlyList<QueueEntry> Items, int Total, string? Next, int Page, int PageSize, QueueCounts? Counts);

public sealed record ModerationDecision(Guid DecisionId, string Decision, string? Reason, string? NoteToAuthor, Guid? ModeratorId,
    string? Trigger, string PreviousState, string NewState, DateTimeOffset DecidedAt, int Version, DateTimeOffset? AuthorBlockedUntil);

public sealed record ModeratedComment(QueueEntry Comment, IReadOnlyList<ModerationDecision> Decisions);

public sealed record BlockAuthor(int Days, string Justification);

public sealed record DecisionRequest(string Decision, int Version, string? Reason, string? NoteToAuthor, BlockAuthor? BlockAuthor);

public sealed record DecisionResponse(Guid DecisionId, Guid CommentId, string Decision, string State, int Version, DateTimeOffset DecidedAt,
    DateTimeOffset? AuthorBlockedUntil, QueueEntry? Next);

public sealed record AuditRecord(long Id, DateTimeOffset At, Guid? ActorId, string Action, Guid? ProcessId, Guid? CommentId, Guid? DecisionId,
    string? Reason, string? Note, string? PreviousState, string? NewState, string? Details);

public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, string? Next);

public sealed record WordRule(bool Enabled, string Severity, IReadOnlyList<string> German, IReadOnlyList<string> English);

public sealed record LinkRule(bool Enabled, string Severity, int MaxLinks);

public sealed record RepeatedTextRule(bool Enabled, string Severity, int MaxRepeatsByAnyone, int MaxRepeatsByAuthor, int WindowMinutes, int MinLength);

public sealed record PostingRateRule(bool Enabled, string Severity, int MaxComments, int WindowMinutes);

public sealed record ScreeningRules(WordRule Words, LinkRule Links, RepeatedTextRule RepeatedText, PostingRateRule PostingRate);

/// <param name="Source">process, global or configuration: where the rules in effect come from.</param>
public sealed record ScreeningRulesView(Guid? ProcessId, string Source, ScreeningRules Rules, DateTimeOffset? UpdatedAt, Guid? UpdatedBy);

public sealed record MetricsSummary(Guid? ProcessId, int QueueLength, int AwaitingReview, int Held, int OpenReports, double? MedianSecondsToDecision,
    IReadOnlyDictionary<string, int> DecisionsByReason, IReadOnlyDictionary<string, int> DecisionsByKind);

/// <summary>Moderation: the queue, decisions with reasons, the audit log and metrics.</summary>
public sealed class ModerationApi(HttpClient http) : ApiClient(http, "moderation")
{
    /// <summary>This service writes its problem texts in German (and gives codes for other languages).</summary>
    protected override string ProblemLanguage => "de";

    public static readonly IReadOnlyList<string> HideReasons = ["insult", "spam", "off-topic", "personal-data", "advertising", "illegal", "other"];

    /// <summary>The filter values Moderation's queue knows (its answer carries a count for each).</summary>
    public static readonly IReadOnlyList<string> QueueStates = ["awaiting-review", "held", "visible"];

    public static readonly IReadOnlyList<string> QueueReasons = [.. CommentsApi.ReportReasons, "screening"];

    public Task<ApiResult<QueuePage>> QueueAsync(Guid? processId, string? cursor, CancellationToken ct) =>
        GetAsync<QueuePage>(Query(processId is { } p ? $"/processes/{p}/queue" : "/queue", ("cursor", cursor)), ct);

    public Task<ApiResult<QueuePage>> QueuePageAsync(Guid? processId, int page, string? state, string? reason, CancellationToken ct) =>
        GetAsync<QueuePage>(Query(processId is { } p ? $"/processes/{p}/queue" : "/queue", ("page", page), ("state", state), ("reason", reason)), ct);

    public Task<ApiResult<ModeratedComment>> CommentAsync(Guid commentId, CancellationToken ct) =>
        GetAsync<ModeratedComment>($"/comments/{commentId}", ct);

    public Task<ApiResult<DecisionResponse>> DecideAsync(Guid commentId, DecisionRequest request, CancellationToken ct) =>
        PostAsync<DecisionResponse>($"/comments/{commentId}/decisions", request, ct);

    public Task<ApiResult<List<AuditRecord>>> AuditAsync(DateTimeOffset? from, DateTimeOffset? to, Guid? processId, CancellationToken ct) =>
        GetAsync<List<AuditRecord>>(Query("/audit", ("from", from?.ToString("O")), ("to", to?.ToString("O")), ("processId", processId)), ct);

    /// <param name="german">csv-de (German column names and values, for people in the German UI); otherwise csv with its codes.</param>
    public Task<(ApiFile? File, ApiProblem? Problem)> AuditCsvAsync(Guid? processId, bool german, CancellationToken ct) =>
        DownloadAsync(new HttpRequestMessage(HttpMethod.Get, Query("/audit", ("format", german ? "csv-de" : "csv"), ("processId", processId))), ct);

    /// <summary>The audit log for moderators: newest first, a page at a time.</summary>
    public Task<ApiResult<AuditPage>> AuditEntriesAsync(DateTimeOffset? from, DateTimeOffset? to, Guid? processId, string? action, string? cursor,
        CancellationToken ct) =>
        GetAsync<AuditPage>(Query("/audit/entries", ("from", from?.ToString("O")), ("to", to?.ToString("O")), ("processId", processId),
            ("action", action), ("cursor", cursor)), ct);

    public static readonly IReadOnlyList<string> AuditActions =
        ["approve", "hide", "restore", "hold-for-review", "block-author", "screening-rules-updated", "screening-rules-reset"];

    public static readonly IReadOnlyList<string> Severities = ["queue", "hold"];

    public Task<ApiResult<ScreeningRulesView>> ScreeningRulesAsync(Guid? processId, CancellationToken ct) =>
        GetAsync<ScreeningRulesView>(processId is { } p ? $"/processes/{p}/screening-rules" : "/screening-rules", ct);

    public Task<ApiResult<ScreeningRulesView>> SaveScreeningRulesAsync(Guid? processId, ScreeningRules rules, CancellationToken ct) =>
        PutAsync<ScreeningRulesView>(processId is { } p ? $"/processes/{p}/screening-rules" : "/screening-rules", rules, ct);

    public Task<ApiResult<Done>> ResetScreeningRulesAsync(Guid? processId, CancellationToken ct) =>
        DeleteAsync<Done>(processId is { } p ? $"/processes/{p}/screening-rules" : "/screening-rules", ct);

    public Task<ApiResult<MetricsSummary>> MetricsAsync(Guid? processId, CancellationToken ct) =>
        GetAsync<MetricsSummary>(Query("/metrics/summary", ("processId", processId)), ct);
}
