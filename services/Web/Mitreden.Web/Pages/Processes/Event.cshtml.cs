using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Processes;

/// <summary>
/// One event: when and where, the description, a button to register or cancel (the rules — capacity, waiting list,
/// past or cancelled events — are Proposals'), "add to calendar", and afterwards the minutes and documents.
/// </summary>
public sealed class EventModel(ProposalsApi proposals) : WebPage
{
    public ProcessResponse Process { get; private set; } = null!;
    public ProcessEvent Event { get; private set; } = null!;
    public IReadOnlyList<ProcessDocument> Documents { get; private set; } = [];

    public bool Upcoming => Event.StartsAt > DateTimeOffset.UtcNow;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid eventId, CancellationToken ct) => await LoadAsync(id, eventId, ct) ?? Page();

    public async Task<IActionResult> OnPostRegisterAsync(Guid id, Guid eventId, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        var result = await proposals.RegisterForEventAsync(id, eventId, ct);
        return await AfterAsync(id, eventId, result, r => r.MyStatus == RegistrationStatuses.Waiting ? T["Events_OnWaitingList"] : T["Events_Registered"], ct);
    }

    public async Task<IActionResult> OnPostUnregisterAsync(Guid id, Guid eventId, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        var result = await proposals.CancelRegistrationAsync(id, eventId, ct);
        return await AfterAsync(id, eventId, result, _ => T["Events_Unregistered"], ct);
    }

    private async Task<IActionResult> AfterAsync(Guid id, Guid eventId, ApiResult<ProcessEvent> result, Func<ProcessEvent, string> message,
        CancellationToken ct)
    {
        ModelState.Clear();
        if (result.Ok)
        {
            Flash(message(result.Value!));
            return Redirect($"/prozesse/{id}/veranstaltungen/{eventId}");
        }
        if (result.Status == 404 && result.Problem?.Errors.Count == 0 && await LoadAsync(id, eventId, ct) is { } missing)
        {
            return missing;
        }
        AddProblem(result.Problem!);
        return await LoadAsync(id, eventId, ct) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, Guid eventId, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        var found = await proposals.EventAsync(id, eventId, ct);
        if (!found.Ok)
        {
            return StatusCode(found.Status == 404 ? 404 : 400);
        }
        Event = found.Value!;
        var documents = await proposals.EventDocumentsAsync(id, eventId, ct);
        Documents = documents.Value ?? [];
        return null;
    }
}
