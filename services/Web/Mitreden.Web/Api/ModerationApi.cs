using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Web.Api;

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

    public Task<ApiResult<ModeratedCommentView>> CommentAsync(Guid commentId, CancellationToken ct) =>
        GetAsync<ModeratedCommentView>($"/comments/{commentId}", ct);

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

    public static readonly IReadOnlyList<string> Severities = WireCode.All<FlagSeverity>();

    public Task<ApiResult<ScreeningRulesView>> ScreeningRulesAsync(Guid? processId, CancellationToken ct) =>
        GetAsync<ScreeningRulesView>(processId is { } p ? $"/processes/{p}/screening-rules" : "/screening-rules", ct);

    public Task<ApiResult<ScreeningRulesView>> SaveScreeningRulesAsync(Guid? processId, ScreeningRules rules, CancellationToken ct) =>
        PutAsync<ScreeningRulesView>(processId is { } p ? $"/processes/{p}/screening-rules" : "/screening-rules", rules, ct);

    public Task<ApiResult<Done>> ResetScreeningRulesAsync(Guid? processId, CancellationToken ct) =>
        DeleteAsync<Done>(processId is { } p ? $"/processes/{p}/screening-rules" : "/screening-rules", ct);

    public Task<ApiResult<MetricsSummary>> MetricsAsync(Guid? processId, CancellationToken ct) =>
        GetAsync<MetricsSummary>(Query("/metrics/summary", ("processId", processId)), ct);
}
