using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>
/// Staff create an event ("neu") or change, cancel and delete one, write its minutes afterwards, and see who registered
/// (with the sign-in sheet as CSV). The rules (times, place or https link, capacity) are Proposals'; this page shows its
/// answer at the fields.
/// </summary>
public sealed class EventModel(ProposalsApi proposals) : WebPage
{
    public const string NewEvent = "neu";

    public ProcessResponse Process { get; private set; } = null!;
    public ProcessEvent? Event { get; private set; }
    public IReadOnlyList<EventAttendee> Attendees { get; private set; } = [];
    public IReadOnlyList<ProcessDocument> Documents { get; private set; } = [];

    [BindProperty] public string? EventTitle { get; set; }
    [BindProperty] public string? EventDescription { get; set; }
    [BindProperty] public string? EventStartsAt { get; set; }
    [BindProperty] public string? EventEndsAt { get; set; }
    [BindProperty] public string? EventPlace { get; set; }
    [BindProperty] public string? EventOnlineUrl { get; set; }
    [BindProperty] public Guid? EventPhase { get; set; }
    [BindProperty] public List<Guid> EventFields { get; set; } = [];
    [BindProperty] public bool EventRegistration { get; set; }
    [BindProperty] public int? EventCapacity { get; set; }
    [BindProperty] public string? EventMinutes { get; set; }
    [BindProperty] public string? EventLatitude { get; set; }
    [BindProperty] public string? EventLongitude { get; set; }
    [BindProperty] public string? EventDistrict { get; set; }

    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["title"] = nameof(EventTitle), ["description"] = nameof(EventDescription), ["startsAt"] = nameof(EventStartsAt),
        ["endsAt"] = nameof(EventEndsAt), ["place"] = nameof(EventPlace), ["onlineUrl"] = nameof(EventOnlineUrl),
        ["phaseId"] = nameof(EventPhase), ["fieldOfActionIds"] = nameof(EventFields), ["registration"] = nameof(EventRegistration),
        ["capacity"] = nameof(EventCapacity), ["minutes"] = nameof(EventMinutes), ["location"] = nameof(EventLatitude),
        ["location.latitude"] = nameof(EventLatitude), ["location.longitude"] = nameof(EventLongitude), ["district"] = nameof(EventDistrict),
    };

    public async Task<IActionResult> OnGetAsync(Guid id, string @event, CancellationToken ct)
    {
        if (await LoadAsync(id, @event, ct) is { } missing)
        {
            return missing;
        }
        Fill();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string @event, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, @event, ct) is { } missing)
        {
            return missing;
        }
        var starts = Display.FromInputDateTime(EventStartsAt);
        var ends = Display.FromInputDateTime(EventEndsAt);
        if (starts is null)
        {
            ModelState.AddModelError(nameof(EventStartsAt), T["Phase_StartRequired"]);
        }
        if (ends is null)
        {
            ModelState.AddModelError(nameof(EventEndsAt), T["Events_EndRequired"]);
        }
        LocationInput.TryRead(EventLatitude, EventLongitude, nameof(EventLatitude), nameof(EventLongitude), ModelState, T, out var location);
        if (starts is null || ends is null || !ModelState.IsValid)
        {
            return Page();
        }
        // The whole event, its place included: what the form leaves empty, the event no longer has.
        var request = new ProcessEventRequest(EventTitle ?? "", starts.Value, ends.Value, EventDescription, EventPlace, EventOnlineUrl,
            EventPhase, EventFields, EventRegistration, EventRegistration ? EventCapacity : null, location,
            string.IsNullOrWhiteSpace(EventDistrict) ? null : EventDistrict.Trim());
        var result = Event is null
            ? await proposals.CreateEventAsync(id, request, ct)
            : await proposals.UpdateEventAsync(id, Event.Id, request, ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, Fields);
            return Page();
        }
        Flash(T[Event is null ? "Events_Created" : "Events_Saved"]);
        return Redirect($"/prozesse/{id}/veranstaltungen/{result.Value!.Id}");
    }

    public async Task<IActionResult> OnPostMinutesAsync(Guid id, string @event, CancellationToken ct)
    {
        ModelState.Clear();
        var missing = await LoadAsync(id, @event, ct);
        if (missing is not null || Event is null)
        {
            return missing ?? StatusCode(404);
        }
        var result = await proposals.SetEventMinutesAsync(id, Event.Id, new EventMinutesRequest(EventMinutes), ct);
        if (!result.Ok)
        {
            var minutes = EventMinutes;
            Fill();
            EventMinutes = minutes;
            AddProblem(result.Problem!, Fields);
            return Page();
        }
        Flash(T["Events_MinutesSaved"]);
        return Redirect($"/prozesse/{id}/veranstaltungen/{Event.Id}");
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, string @event, CancellationToken ct) =>
        await ActAsync(id, @event, async e => (await proposals.CancelEventAsync(id, e, ct)).Problem, T["Events_CancelledDone"], $"/prozesse/{id}/veranstaltungen/{@event}", ct);

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, string @event, CancellationToken ct) =>
        await ActAsync(id, @event, async e => (await proposals.DeleteEventAsync(id, e, ct)).Problem, T["Events_Deleted"], $"/prozesse/{id}/veranstaltungen", ct);

    public async Task<IActionResult> OnGetSignInSheetAsync(Guid id, string @event, CancellationToken ct)
    {
        if (!Guid.TryParse(@event, out var eventId))
        {
            return StatusCode(404);
        }
        var (file, problem) = await proposals.SignInSheetAsync(id, eventId, ct);
        return file is null
            ? StatusCode(problem!.Status == 404 ? 404 : 400)
            : File(file.Content, "text/csv; charset=utf-8", file.FileName ?? $"anmeldungen-{eventId:N}.csv");
    }

    private async Task<IActionResult> ActAsync(Guid id, string @event, Func<Guid, Task<ApiProblem?>> act, string done, string next, CancellationToken ct)
    {
        ModelState.Clear();
        var missing = await LoadAsync(id, @event, ct);
        if (missing is not null || Event is null)
        {
            return missing ?? StatusCode(404);
        }
        if (await act(Event.Id) is { } problem)
        {
            Fill();
            AddProblem(problem);
            return Page();
        }
        Flash(done);
        return Redirect(next);
    }

    private void Fill()
    {
        if (Event is not { } e)
        {
            EventRegistration = false;
            return;
        }
        (EventTitle, EventDescription, EventPlace, EventOnlineUrl) = (e.Title, e.Description, e.Place, e.OnlineUrl);
        (EventStartsAt, EventEndsAt) = (Display.InputDateTime(e.StartsAt), Display.InputDateTime(e.EndsAt));
        (EventPhase, EventFields, EventRegistration, EventCapacity) = (e.PhaseId, e.FieldOfActionIds.ToList(), e.Registration, e.Capacity);
        EventMinutes = e.Minutes;
        (EventLatitude, EventLongitude, EventDistrict) =
            (LocationInput.Format(e.Location?.Latitude), LocationInput.Format(e.Location?.Longitude), e.District);
    }

    private async Task<IActionResult?> LoadAsync(Guid id, string @event, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        if (@event == NewEvent)
        {
            return null;
        }
        if (!Guid.TryParse(@event, out var eventId))
        {
            return StatusCode(404);
        }
        var existing = await proposals.EventAsync(id, eventId, ct);
        if (!existing.Ok)
        {
            return StatusCode(existing.Status == 404 ? 404 : 400);
        }
        Event = existing.Value;
        var attendees = await proposals.EventAttendeesAsync(id, eventId, ct);
        Attendees = attendees.Value ?? [];
        var documents = await proposals.EventDocumentsAsync(id, eventId, ct);
        Documents = documents.Value ?? [];
        return null;
    }
}
