using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>
/// Staff upload documents to a process (optionally to one of its phases or events) and remove them. Proposals decides what it
/// takes (kind from the bytes, size, count, archived processes); this page passes the file on and shows the answer.
/// The gateway lets this path carry a document (Gateway:LargeBodies).
/// </summary>
[RequestSizeLimit(DocumentLimits.MaxBytes + DocumentLimits.MultipartOverheadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentLimits.MaxBytes + DocumentLimits.MultipartOverheadBytes)]
public sealed class DocumentsModel(ProposalsApi proposals) : WebPage
{
    public ProcessResponse Process { get; private set; } = null!;
    public IReadOnlyList<ProcessDocument> Documents { get; private set; } = [];
    public IReadOnlyList<ProcessEvent> Events { get; private set; } = [];
    public long MaxMegabytes => DocumentLimits.MaxBytes / (1024 * 1024);

    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? DocumentTitle { get; set; }
    [BindProperty] public Guid? DocumentPhase { get; set; }
    [BindProperty] public Guid? DocumentEvent { get; set; }

    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["file"] = nameof(Upload), ["title"] = nameof(DocumentTitle), ["phaseId"] = nameof(DocumentPhase), ["eventId"] = nameof(DocumentEvent),
        ["itemId"] = nameof(DocumentEvent),
    };

    /// <param name="veranstaltung">An event to attach the document to (the link from the event's staff page).</param>
    public async Task<IActionResult> OnGetAsync(Guid id, Guid? veranstaltung, CancellationToken ct)
    {
        DocumentEvent = veranstaltung;
        return await LoadAsync(id, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        // No file chosen: Proposals gets an empty one and says so at the field (its rule, not ours).
        await using var file = Upload?.OpenReadStream() ?? Stream.Null;
        var result = await proposals.UploadDocumentAsync(id, file, Upload?.FileName ?? "", DocumentTitle, DocumentPhase, ct, DocumentEvent);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, Fields);
            return Page();
        }
        Flash(T["Documents_Uploaded", result.Value!.Title]);
        return Redirect(result.Value.EventId is { } eventId ? $"/verwaltung/prozesse/{id}/veranstaltungen/{eventId}" : $"/verwaltung/prozesse/{id}/dokumente");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid documentId, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        var result = await proposals.DeleteDocumentAsync(id, documentId, ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!);
            return Page();
        }
        Flash(T["Documents_Deleted"]);
        return Redirect($"/verwaltung/prozesse/{id}/dokumente");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        var documents = await proposals.DocumentsAsync(id, ct);
        Documents = documents.Value ?? [];
        var events = await proposals.EventsAsync(id, "all", ct);
        Events = events.Value ?? [];
        return null;
    }
}
