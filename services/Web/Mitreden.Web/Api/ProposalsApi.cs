using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Web.Api;

/// <summary>Proposals: processes, phases, fields of action, items and monitoring.</summary>
public sealed class ProposalsApi(HttpClient http) : ApiClient(http, "proposals")
{
    public static readonly IReadOnlyList<string> ItemKinds = Mitreden.Proposals.Contracts.ItemKinds.All;
    public static readonly IReadOnlyList<string> PhaseKinds = Mitreden.Proposals.Contracts.PhaseKinds.All;
    public static readonly IReadOnlyList<string> MonitoringStatuses = WireCode.All<MonitoringStatus>();
    public static readonly IReadOnlyList<string> ItemSorts = Mitreden.Proposals.Contracts.Http.ItemSorts.All;

    public Task<ApiResult<List<ProcessSummary>>> ProcessesAsync(CancellationToken ct) => GetAsync<List<ProcessSummary>>("/processes", ct);

    public Task<ApiResult<ProcessResponse>> ProcessAsync(Guid id, CancellationToken ct) => GetAsync<ProcessResponse>($"/processes/{id}", ct);

    public Task<ApiResult<ProcessResponse>> CreateProcessAsync(ProcessRequest request, CancellationToken ct) => PostAsync<ProcessResponse>("/processes", request, ct);

    public Task<ApiResult<ProcessResponse>> UpdateProcessAsync(Guid id, ProcessRequest request, CancellationToken ct) =>
        PutAsync<ProcessResponse>($"/processes/{id}", request, ct);

    public Task<ApiResult<ProcessVisibilityResponse>> VisibilityAsync(Guid id, CancellationToken ct) =>
        GetAsync<ProcessVisibilityResponse>($"/processes/{id}/visibility", ct);

    public Task<ApiResult<ProcessVisibilityResponse>> SetVisibilityAsync(Guid id, string visibility, CancellationToken ct) =>
        PutAsync<ProcessVisibilityResponse>($"/processes/{id}/visibility", new ProcessVisibilityRequest(visibility), ct);

    public Task<ApiResult<PhaseVisibilityResponse>> PhaseVisibilityAsync(Guid id, Guid phaseId, CancellationToken ct) =>
        GetAsync<PhaseVisibilityResponse>($"/processes/{id}/phases/{phaseId}/visibility", ct);

    public Task<ApiResult<PhaseVisibilityResponse>> SetPhaseVisibilityAsync(Guid id, Guid phaseId, string visibility, CancellationToken ct) =>
        PutAsync<PhaseVisibilityResponse>($"/processes/{id}/phases/{phaseId}/visibility", new PhaseVisibilityRequest(visibility), ct);

    public Task<ApiResult<ProcessVisibilityResponse>> SetMemberAsync(Guid id, Guid accountId, bool member, CancellationToken ct) =>
        member ? PutAsync<ProcessVisibilityResponse>($"/processes/{id}/members/{accountId}", null, ct)
            : DeleteAsync<ProcessVisibilityResponse>($"/processes/{id}/members/{accountId}", ct);

    public Task<ApiResult<ProcessResponse>> PublishProcessAsync(Guid id, CancellationToken ct) => PostAsync<ProcessResponse>($"/processes/{id}/publish", null, ct);

    public Task<ApiResult<ProcessResponse>> ArchiveProcessAsync(Guid id, CancellationToken ct) => PostAsync<ProcessResponse>($"/processes/{id}/archive", null, ct);

    public Task<ApiResult<PhaseResponse>> CreatePhaseAsync(Guid processId, PhaseRequest request, CancellationToken ct) =>
        PostAsync<PhaseResponse>($"/processes/{processId}/phases", request, ct);

    public Task<ApiResult<PhaseResponse>> UpdatePhaseAsync(Guid processId, Guid phaseId, PhaseRequest request, CancellationToken ct) =>
        PutAsync<PhaseResponse>($"/processes/{processId}/phases/{phaseId}", request, ct);

    public Task<ApiResult<PhaseResponse>> UpdateSwitchesAsync(Guid processId, Guid phaseId, PhaseSwitches switches, CancellationToken ct) =>
        PutAsync<PhaseResponse>($"/processes/{processId}/phases/{phaseId}/switches", switches, ct);

    public Task<ApiResult<Done>> DeletePhaseAsync(Guid processId, Guid phaseId, CancellationToken ct) =>
        DeleteAsync<Done>($"/processes/{processId}/phases/{phaseId}", ct);

    /// <summary>"fields-of-action" or "themes": where a topic of that kind lives in Proposals.</summary>
    private static string TopicPath(bool theme) => theme ? "themes" : "fields-of-action";

    public Task<ApiResult<TopicResponse>> UpdateTopicAsync(Guid processId, bool theme, Guid topicId, TopicRequest request, CancellationToken ct) =>
        PutAsync<TopicResponse>($"/processes/{processId}/{TopicPath(theme)}/{topicId}", request, ct);

    /// <summary>Removes a field of action or theme; Proposals answers 409 while items still belong to it.</summary>
    public Task<ApiResult<Done>> DeleteTopicAsync(Guid processId, bool theme, Guid topicId, CancellationToken ct) =>
        DeleteAsync<Done>($"/processes/{processId}/{TopicPath(theme)}/{topicId}", ct);

    public Task<ApiResult<TopicResponse>> CreateFieldOfActionAsync(Guid processId, TopicRequest request, CancellationToken ct) =>
        PostAsync<TopicResponse>($"/processes/{processId}/fields-of-action", request, ct);

    public Task<ApiResult<TopicResponse>> CreateThemeAsync(Guid processId, TopicRequest request, CancellationToken ct) =>
        PostAsync<TopicResponse>($"/processes/{processId}/themes", request, ct);

    public Task<ApiResult<List<DistrictResponse>>> DistrictsAsync(string? city, CancellationToken ct) =>
        GetAsync<List<DistrictResponse>>(Query("/districts", ("city", city)), ct);

    public Task<ApiResult<ItemPage>> ItemsAsync(Guid processId, ItemQuery q, CancellationToken ct) =>
        GetAsync<ItemPage>(Query($"/processes/{processId}/items",
            ("fieldOfAction", q.FieldOfAction), ("theme", q.Theme), ("district", q.District), ("kind", q.Kind), ("status", q.Status),
            ("origin", q.Origin), ("q", q.Q), ("sort", q.Sort), ("page", q.Page), ("pageSize", q.PageSize)), ct);

    public Task<ApiResult<ProcessMap>> MapAsync(Guid processId, string? district, CancellationToken ct) =>
        GetAsync<ProcessMap>(Query($"/processes/{processId}/map", ("district", district)), ct);

    public Task<ApiResult<ItemResponse>> ItemAsync(Guid id, CancellationToken ct) => GetAsync<ItemResponse>($"/items/{id}", ct);

    public Task<ApiResult<ItemResponse>> CreateItemAsync(Guid processId, CreateItemRequest request, CancellationToken ct) =>
        PostAsync<ItemResponse>($"/processes/{processId}/items", request, ct);

    public Task<ApiResult<ItemResponse>> UpdateItemAsync(Guid itemId, UpdateItemRequest request, CancellationToken ct) =>
        PutAsync<ItemResponse>($"/items/{itemId}", request, ct);

    public Task<ApiResult<ItemResponse>> SetItemStatusAsync(Guid itemId, ItemStatusRequest request, CancellationToken ct) =>
        PutAsync<ItemResponse>($"/items/{itemId}/status", request, ct);

    public Task<ApiResult<MonitoringOverview>> MonitoringAsync(Guid processId, CancellationToken ct) =>
        GetAsync<MonitoringOverview>($"/processes/{processId}/monitoring", ct);

    public Task<ApiResult<MonitoringReportDocument>> MonitoringReportAsync(Guid processId, int? year, CancellationToken ct) =>
        GetAsync<MonitoringReportDocument>($"/processes/{processId}/monitoring/report{(year is null ? "" : $"?year={year}")}", ct);

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

    public Task<ApiResult<ItemResponse>> UpdateMonitoringAsync(Guid itemId, MonitoringRequest request, CancellationToken ct) =>
        PutAsync<ItemResponse>($"/items/{itemId}/monitoring", request, ct);

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
