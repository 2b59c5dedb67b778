using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Web.Api;

public sealed record PhaseSwitches(bool Proposing, bool Commenting, bool PreModeration, bool Voting, bool ResultsVisible);

public sealed record Phase(Guid Id, Guid ProcessId, int Position, string Title, string? Description, string Kind,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, PhaseSwitches Switches, bool IsCurrent, string Visibility = "public");

public sealed record StatusOption(string Key, string Label);

public sealed record Topic(Guid Id, string Title, string? Description, int Position);

public sealed record District(Guid Id, string City, string Slug, string Name);

public sealed record ProcessSummary(Guid Id, string Title, string City, DateOnly? StartsOn, DateOnly? EndsOn, string Status,
    DateTimeOffset? PublishedAt, Phase? CurrentPhase, string Visibility = "public");

public sealed record Process(Guid Id, string Title, string Description, string City, DateOnly? StartsOn, DateOnly? EndsOn,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ArchivedAt,
    IReadOnlyList<StatusOption> ItemStatuses, IReadOnlyList<Phase> Phases, Phase? CurrentPhase,
    IReadOnlyList<Topic> FieldsOfAction, IReadOnlyList<Topic> Themes, bool UnconfirmedAccountsMayComment = false, string Visibility = "public");

public sealed record ProcessMember(Guid AccountId, DateTimeOffset AddedAt);

/// <summary>Who may see a process (public, members, internal) and its members; staff only.</summary>
public sealed record ProcessVisibility(Guid ProcessId, string Visibility, IReadOnlyList<ProcessMember> Members);

/// <summary>Who may see one phase on top of its process; <paramref name="Effective"/> is the stricter of the two. Staff only.</summary>
public sealed record PhaseVisibility(Guid ProcessId, Guid PhaseId, string Visibility, string ProcessVisibility, string Effective);

/// <param name="UnconfirmedAccountsMayComment">Null keeps the process's setting.</param>
public sealed record ProcessRequest(string Title, string Description, string City, DateOnly? StartsOn, DateOnly? EndsOn,
    bool? UnconfirmedAccountsMayComment = null);

public sealed record PhaseRequest(string Title, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, PhaseSwitches Switches,
    string? Description);

public sealed record TopicRequest(string Title, string? Description);

public sealed record Milestone(string Title, DateOnly DueOn, DateOnly? DoneOn);

public sealed record Monitoring(string Status, int ProgressPercent, string? ResponsibleOffice, IReadOnlyList<Milestone> Milestones,
    DateTimeOffset? UpdatedAt);

public sealed record MonitoringRequest(string Status, int ProgressPercent, string? ResponsibleOffice, IReadOnlyList<Milestone>? Milestones,
    string? Note);

public sealed record MonitoredMeasure(Guid ItemId, string Title, IReadOnlyList<string> FieldsOfAction, string? Priority, Monitoring Monitoring);

public sealed record MonitoringOverview(Guid ProcessId, string ProcessTitle, string City, int Measures, IReadOnlyDictionary<string, int> ByStatus,
    double AverageProgressPercent, IReadOnlyList<MonitoredMeasure> Items, IReadOnlyList<int> ReportYears);

public sealed record ReportMilestone(string Title, DateOnly DueOn, DateOnly? DoneOn);

public sealed record ReportRow(Guid ItemId, string Title, string FieldsOfAction, string? Priority, string? ResponsibleOffice, string Status,
    int ProgressPercent, int ProgressAtStartOfYear, IReadOnlyList<ReportMilestone> MilestonesDue, int MilestonesReached, int UpdatesInYear,
    string? LastNote, DateTimeOffset? LastUpdate);

public sealed record ReportSummary(int Measures, IReadOnlyDictionary<string, int> ByStatus, double AverageProgressPercent, int MilestonesDue,
    int MilestonesReached);

public sealed record MonitoringReport(Guid ProcessId, string ProcessTitle, string City, int Year, DateTimeOffset GeneratedAt,
    ReportSummary Summary, IReadOnlyList<ReportRow> Measures);

public sealed record Item(Guid Id, Guid ProcessId, string Kind, string Title, string Description, bool Official, string? AuthorName,
    bool IsOwn, string? District, IReadOnlyList<Guid> FieldOfActionIds, IReadOnlyList<Guid> ThemeIds, Guid? ParentId, string? Priority,
    decimal? CostEstimate, string Status, string StatusLabel, string? PublicAnswer, DateTimeOffset? AnsweredAt, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, int CommentCount, long SupportCount, Monitoring? Monitoring, string? InternalNote,
    long VotingGroupVoteCount = 0, Guid? PhaseId = null, GeoPoint? Location = null);

public sealed record ItemPage(IReadOnlyList<Item> Items, int Page, int PageSize, int Total);

public sealed record ItemQuery(Guid? FieldOfAction = null, Guid? Theme = null, string? District = null, string? Kind = null,
    string? Status = null, string? Origin = null, string? Q = null, string? Sort = null, int? Page = null, int? PageSize = null);

public sealed record ItemRequest(string Title, string Description, string? Kind, IReadOnlyList<Guid>? FieldOfActionIds, IReadOnlyList<Guid>? ThemeIds,
    string? District, Guid? ParentId, string? Priority, decimal? CostEstimate, Guid? PhaseId = null, GeoPoint? Location = null);

public sealed record ItemStatusRequest(string Status, string? PublicAnswer, string? InternalNote);

/// <summary>Proposals: processes, phases, fields of action, items and monitoring.</summary>
public sealed class ProposalsApi(HttpClient http) : ApiClient(http, "proposals")
{
    public static readonly IReadOnlyList<string> ItemKinds = ["vision", "guiding-goal", "measure", "scenario", "citizen-idea"];
    public static readonly IReadOnlyList<string> PhaseKinds =
        ["stocktaking", "kickoff", "workshop", "future-workshop", "goals-conference", "online-participation", "final-presentation", "monitoring"];
    public static readonly IReadOnlyList<string> MonitoringStatuses = ["not-started", "planned", "in-progress", "completed", "delayed", "dropped"];
    public static readonly IReadOnlyList<string> ItemSorts = ["newest", "oldest", "title", "most-comments", "most-supports", "relevance"];

    public Task<ApiResult<List<ProcessSummary>>> ProcessesAsync(CancellationToken ct) => GetAsync<List<ProcessSummary>>("/processes", ct);

    public Task<ApiResult<Process>> ProcessAsync(Guid id, CancellationToken ct) => GetAsync<Process>($"/processes/{id}", ct);

    public Task<ApiResult<Process>> CreateProcessAsync(ProcessRequest request, CancellationToken ct) => PostAsync<Process>("/processes", request, ct);

    public Task<ApiResult<Process>> UpdateProcessAsync(Guid id, ProcessRequest request, CancellationToken ct) =>
        PutAsync<Process>($"/processes/{id}", request, ct);

    public Task<ApiResult<ProcessVisibility>> VisibilityAsync(Guid id, CancellationToken ct) =>
        GetAsync<ProcessVisibility>($"/processes/{id}/visibility", ct);

    public Task<ApiResult<ProcessVisibility>> SetVisibilityAsync(Guid id, string visibility, CancellationToken ct) =>
        PutAsync<ProcessVisibility>($"/processes/{id}/visibility", new { visibility }, ct);

    public Task<ApiResult<PhaseVisibility>> PhaseVisibilityAsync(Guid id, Guid phaseId, CancellationToken ct) =>
        GetAsync<PhaseVisibility>($"/processes/{id}/phases/{phaseId}/visibility", ct);

    public Task<ApiResult<PhaseVisibility>> SetPhaseVisibilityAsync(Guid id, Guid phaseId, string visibility, CancellationToken ct) =>
        PutAsync<PhaseVisibility>($"/processes/{id}/phases/{phaseId}/visibility", new { visibility }, ct);

    public Task<ApiResult<ProcessVisibility>> SetMemberAsync(Guid id, Guid accountId, bool member, CancellationToken ct) =>
        member ? PutAsync<ProcessVisibility>($"/processes/{id}/members/{accountId}", null, ct)
            : DeleteAsync<ProcessVisibility>($"/processes/{id}/members/{accountId}", ct);

    public Task<ApiResult<Process>> PublishProcessAsync(Guid id, CancellationToken ct) => PostAsync<Process>($"/processes/{id}/publish", null, ct);

    public Task<ApiResult<Process>> ArchiveProcessAsync(Guid id, CancellationToken ct) => PostAsync<Process>($"/processes/{id}/archive", null, ct);

    public Task<ApiResult<Phase>> CreatePhaseAsync(Guid processId, PhaseRequest request, CancellationToken ct) =>
        PostAsync<Phase>($"/processes/{processId}/phases", request, ct);

    public Task<ApiResult<Phase>> UpdatePhaseAsync(Guid processId, Guid phaseId, PhaseRequest request, CancellationToken ct) =>
        PutAsync<Phase>($"/processes/{processId}/phases/{phaseId}", request, ct);

    public Task<ApiResult<Phase>> UpdateSwitchesAsync(Guid processId, Guid phaseId, PhaseSwitches switches, CancellationToken ct) =>
        PutAsync<Phase>($"/processes/{processId}/phases/{phaseId}/switches", switches, ct);

    public Task<ApiResult<Done>> DeletePhaseAsync(Guid processId, Guid phaseId, CancellationToken ct) =>
        DeleteAsync<Done>($"/processes/{processId}/phases/{phaseId}", ct);

    /// <summary>"fields-of-action" or "themes": where a topic of that kind lives in Proposals.</summary>
    private static string TopicPath(bool theme) => theme ? "themes" : "fields-of-action";

    public Task<ApiResult<Topic>> UpdateTopicAsync(Guid processId, bool theme, Guid topicId, TopicRequest request, CancellationToken ct) =>
        PutAsync<Topic>($"/processes/{processId}/{TopicPath(theme)}/{topicId}", request, ct);

    /// <summary>Removes a field of action or theme; Proposals answers 409 while items still belong to it.</summary>
    public Task<ApiResult<Done>> DeleteTopicAsync(Guid processId, bool theme, Guid topicId, CancellationToken ct) =>
        DeleteAsync<Done>($"/processes/{processId}/{TopicPath(theme)}/{topicId}", ct);

    public Task<ApiResult<Topic>> CreateFieldOfActionAsync(Guid processId, TopicRequest request, CancellationToken ct) =>
        PostAsync<Topic>($"/processes/{processId}/fields-of-action", request, ct);

    public Task<ApiResult<Topic>> CreateThemeAsync(Guid processId, TopicRequest request, CancellationToken ct) =>
        PostAsync<Topic>($"/processes/{processId}/themes", request, ct);

    public Task<ApiResult<List<District>>> DistrictsAsync(string? city, CancellationToken ct) =>
        GetAsync<List<District>>(Query("/districts", ("city", city)), ct);

    public Task<ApiResult<ItemPage>> ItemsAsync(Guid processId, ItemQuery q, CancellationToken ct) =>
        GetAsync<ItemPage>(Query($"/processes/{processId}/items",
            ("fieldOfAction", q.FieldOfAction), ("theme", q.Theme), ("district", q.District), ("kind", q.Kind), ("status", q.Status),
            ("origin", q.Origin), ("q", q.Q), ("sort", q.Sort), ("page", q.Page), ("pageSize", q.PageSize)), ct);

    public Task<ApiResult<ProcessMap>> MapAsync(Guid processId, string? district, CancellationToken ct) =>
        GetAsync<ProcessMap>(Query($"/processes/{processId}/map", ("district", district)), ct);

    public Task<ApiResult<Item>> ItemAsync(Guid id, CancellationToken ct) => GetAsync<Item>($"/items/{id}", ct);

    public Task<ApiResult<Item>> CreateItemAsync(Guid processId, ItemRequest request, CancellationToken ct) =>
        PostAsync<Item>($"/processes/{processId}/items", request, ct);

    public Task<ApiResult<Item>> UpdateItemAsync(Guid itemId, ItemRequest request, CancellationToken ct) =>
        PutAsync<Item>($"/items/{itemId}", new { request.Title, request.Description, request.FieldOfActionIds, request.ThemeIds,
            request.District, request.ParentId, request.Priority, request.CostEstimate, request.Location }, ct);

    public Task<ApiResult<Item>> SetItemStatusAsync(Guid itemId, ItemStatusRequest request, CancellationToken ct) =>
        PutAsync<Item>($"/items/{itemId}/status", request, ct);

    public Task<ApiResult<MonitoringOverview>> MonitoringAsync(Guid processId, CancellationToken ct) =>
        GetAsync<MonitoringOverview>($"/processes/{processId}/monitoring", ct);

    public Task<ApiResult<MonitoringReport>> MonitoringReportAsync(Guid processId, int? year, CancellationToken ct) =>
        GetAsync<MonitoringReport>($"/processes/{processId}/monitoring/report{(year is null ? "" : $"?year={year}")}", ct);

    /// <summary>The yearly report as a file; Proposals knows the formats (pdf, xlsx, csv-de, csv) and refuses others.</summary>
    public Task<(ApiFile? File, ApiProblem? Problem)> MonitoringReportFileAsync(Guid processId, int year, string format, CancellationToken ct) =>
        DownloadAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/processes/{processId}/monitoring/report?year={year}&format={Uri.EscapeDataString(format)}"), ct);

    /// <summary>All rows or none; a 422 lists every bad row.</summary>
    public Task<ApiResult<System.Text.Json.JsonElement>> ImportItemsAsync(Guid processId, byte[] csv, CancellationToken ct)
    {
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        return SendAsync<System.Text.Json.JsonElement>(Slow(new HttpRequestMessage(HttpMethod.Post, $"/processes/{processId}/items/import") { Content = content }), ct);
    }

    public Task<ApiResult<Item>> UpdateMonitoringAsync(Guid itemId, MonitoringRequest request, CancellationToken ct) =>
        PutAsync<Item>($"/items/{itemId}/monitoring", request, ct);

    public Task<ApiResult<NewsPage>> NewsAsync(Guid processId, int page, int pageSize, CancellationToken ct) =>
        GetAsync<NewsPage>(Query($"/processes/{processId}/news", ("page", page), ("pageSize", pageSize)), ct);

    public Task<ApiResult<NewsPost>> NewsPostAsync(Guid processId, Guid postId, CancellationToken ct) =>
        GetAsync<NewsPost>($"/processes/{processId}/news/{postId}", ct);

    public Task<ApiResult<NewsPost>> CreateNewsPostAsync(Guid processId, NewsPostRequest request, CancellationToken ct) =>
        PostAsync<NewsPost>($"/processes/{processId}/news", request, ct);

    public Task<ApiResult<NewsPost>> UpdateNewsPostAsync(Guid processId, Guid postId, NewsPostRequest request, CancellationToken ct) =>
        PutAsync<NewsPost>($"/processes/{processId}/news/{postId}", request, ct);

    public Task<ApiResult<List<ProcessDocument>>> DocumentsAsync(Guid processId, CancellationToken ct) =>
        GetAsync<List<ProcessDocument>>($"/processes/{processId}/documents", ct);

    public Task<(ApiFile? File, ApiProblem? Problem)> DocumentContentAsync(Guid processId, Guid documentId, CancellationToken ct) =>
        DownloadAsync(Slow(new HttpRequestMessage(HttpMethod.Get, $"/processes/{processId}/documents/{documentId}/content")), ct);

    /// <summary>Passes the file on as it came (the service finds its kind from the bytes and checks every limit).</summary>
    public Task<ApiResult<ProcessDocument>> UploadDocumentAsync(Guid processId, Stream file, string fileName, string? title, Guid? phaseId,
        CancellationToken ct, Guid? eventId = null)
    {
        var form = new MultipartFormDataContent();
        var content = new StreamContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        // Without a name the part is no file to the service, which then says a file is missing.
        if (string.IsNullOrWhiteSpace(fileName))
        {
            form.Add(content, "file");
        }
        else
        {
            form.Add(content, "file", fileName);
        }
        if (!string.IsNullOrWhiteSpace(title))
        {
            form.Add(new StringContent(title), "title");
        }
        if (phaseId is { } phase)
        {
            form.Add(new StringContent(phase.ToString()), "phaseId");
        }
        if (eventId is { } ev)
        {
            form.Add(new StringContent(ev.ToString()), "eventId");
        }
        return SendAsync<ProcessDocument>(Slow(new HttpRequestMessage(HttpMethod.Post, $"/processes/{processId}/documents") { Content = form }), ct);
    }

    public Task<ApiResult<Done>> DeleteDocumentAsync(Guid processId, Guid documentId, CancellationToken ct) =>
        DeleteAsync<Done>($"/processes/{processId}/documents/{documentId}", ct);

    public Task<ApiResult<Done>> DeleteNewsPostAsync(Guid processId, Guid postId, CancellationToken ct) =>
        DeleteAsync<Done>($"/processes/{processId}/news/{postId}", ct);

    public Task<ApiResult<List<ProcessDocument>>> EventDocumentsAsync(Guid processId, Guid eventId, CancellationToken ct) =>
        GetAsync<List<ProcessDocument>>(Query($"/processes/{processId}/documents", ("eventId", eventId)), ct);

    /// <param name="when">upcoming, past or all.</param>
    public Task<ApiResult<List<ProcessEvent>>> EventsAsync(Guid processId, string when, CancellationToken ct) =>
        GetAsync<List<ProcessEvent>>(Query($"/processes/{processId}/events", ("when", when)), ct);

    public Task<ApiResult<ProcessEvent>> EventAsync(Guid processId, Guid eventId, CancellationToken ct) =>
        GetAsync<ProcessEvent>($"/processes/{processId}/events/{eventId}", ct);

    public Task<ApiResult<ProcessEvent>> CreateEventAsync(Guid processId, ProcessEventRequest request, CancellationToken ct) =>
        PostAsync<ProcessEvent>($"/processes/{processId}/events", request, ct);

    public Task<ApiResult<ProcessEvent>> UpdateEventAsync(Guid processId, Guid eventId, ProcessEventRequest request, CancellationToken ct) =>
        PutAsync<ProcessEvent>($"/processes/{processId}/events/{eventId}", request, ct);

    public Task<ApiResult<ProcessEvent>> CancelEventAsync(Guid processId, Guid eventId, CancellationToken ct) =>
        PostAsync<ProcessEvent>($"/processes/{processId}/events/{eventId}/cancel", null, ct);

    public Task<ApiResult<Done>> DeleteEventAsync(Guid processId, Guid eventId, CancellationToken ct) =>
        DeleteAsync<Done>($"/processes/{processId}/events/{eventId}", ct);

    public Task<ApiResult<ProcessEvent>> SetEventMinutesAsync(Guid processId, Guid eventId, EventMinutesRequest request, CancellationToken ct) =>
        PutAsync<ProcessEvent>($"/processes/{processId}/events/{eventId}/minutes", request, ct);

    public Task<ApiResult<ProcessEvent>> RegisterForEventAsync(Guid processId, Guid eventId, CancellationToken ct) =>
        PostAsync<ProcessEvent>($"/processes/{processId}/events/{eventId}/registration", null, ct);

    public Task<ApiResult<ProcessEvent>> CancelRegistrationAsync(Guid processId, Guid eventId, CancellationToken ct) =>
        DeleteAsync<ProcessEvent>($"/processes/{processId}/events/{eventId}/registration", ct);

    public Task<ApiResult<List<MyEventRegistration>>> MyEventRegistrationsAsync(CancellationToken ct) =>
        GetAsync<List<MyEventRegistration>>("/me/event-registrations", ct);

    public Task<ApiResult<List<EventAttendee>>> EventAttendeesAsync(Guid processId, Guid eventId, CancellationToken ct) =>
        GetAsync<List<EventAttendee>>($"/processes/{processId}/events/{eventId}/registrations", ct);

    public Task<(ApiFile? File, ApiProblem? Problem)> SignInSheetAsync(Guid processId, Guid eventId, CancellationToken ct) =>
        DownloadAsync(new HttpRequestMessage(HttpMethod.Get, $"/processes/{processId}/events/{eventId}/registrations/csv"), ct);

    /// <param name="eventId">One event, or null for all events of the process.</param>
    public Task<(ApiFile? File, ApiProblem? Problem)> EventCalendarAsync(Guid processId, Guid? eventId, CancellationToken ct) =>
        DownloadAsync(new HttpRequestMessage(HttpMethod.Get,
            eventId is { } id ? $"/processes/{processId}/events/{id}/calendar" : $"/processes/{processId}/events/calendar"), ct);
}
