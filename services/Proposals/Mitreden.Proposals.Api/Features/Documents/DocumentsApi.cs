using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Proposals.Api.Features.Documents;

/// <summary>
/// Documents of a process: whoever may see the process lists and downloads them; staff upload (multipart/form-data:
/// file, title, optional phaseId, itemId or eventId) and remove them. The kind is found from the bytes (<see cref="DocumentTypes"/>)
/// and must fit the file name; downloads are attachments with nosniff and a sandboxing CSP.
/// </summary>
public static class DocumentsApi
{
    private const long MaxBody = DocumentLimits.MaxBytes + DocumentLimits.MultipartOverheadBytes;

    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes/{processId:guid}/documents").WithTags("Documents");
        group.MapGet("/", List).AllowAnonymous();
        group.MapGet("/{documentId:guid}/content", Download).AllowAnonymous()
            .Produces(StatusCodes.Status200OK, typeof(byte[]), DocumentTypes.Pdf.ContentType, [.. DocumentTypes.All.Skip(1).Select(t => t.ContentType)])
            .ProducesProblem(StatusCodes.Status404NotFound);
        // The limit as endpoint metadata: routing applies it before anything reads the form (ServiceDefaults' input checks do).
        // No Accepts metadata: routing would answer 415 before the authorization decision; the handler checks the type.
        group.MapPost("/", Upload).RequireAuthorization(AuthPolicies.Staff).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .WithDescription("multipart/form-data: file (required), title, phaseId, itemId or eventId (optional, at most one).");
        group.MapDelete("/{documentId:guid}", Delete).RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ProcessDocument>>, ProblemHttpResult>> List(
        Guid processId, Guid? phaseId, Guid? itemId, Guid? eventId, ProposalsDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var rows = db.Documents.AsNoTracking().Where(d => d.ProcessId == processId).VisibleTo(db, user);
        if (phaseId is { } phase)
        {
            rows = rows.Where(d => d.PhaseId == phase);
        }
        if (itemId is { } item)
        {
            rows = rows.Where(d => d.ItemId == item);
        }
        if (eventId is { } ev)
        {
            rows = rows.Where(d => d.EventId == ev);
        }
        var list = await rows.OrderByDescending(d => d.UploadedAt).ThenBy(d => d.Title).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<ProcessDocument>>(list.Select(ToResponse).ToList());
    }

    private static async Task<IResult> Download(Guid processId, Guid documentId, HttpContext http, ProposalsDb db, IDocumentStore store,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var row = await db.Documents.AsNoTracking().VisibleTo(db, user).SingleOrDefaultAsync(d => d.Id == documentId && d.ProcessId == processId, ct);
        var bytes = row is null ? null : await store.ReadAsync(db, documentId, ct);
        if (row is null || bytes is null)
        {
            return Problems.NotFound("The document does not exist.");
        }
        var type = DocumentTypes.ByKind(row.Kind)!;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Opened by mistake in the browser, the file can neither run script nor load anything.
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(row.FileName);
        headers.ContentDisposition = disposition.ToString();
        return TypedResults.File(bytes, type.ContentType, entityTag: new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(row.Sha256)}\""));
    }

    private static async Task<Results<Created<ProcessDocument>, ProblemHttpResult>> Upload(
        Guid processId, HttpContext http, ProposalsDb db, IDocumentStore store, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBody)
        {
            return TooLarge();
        }
        if (!http.Request.HasFormContentType || http.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType,
                "Dokumente werden als multipart/form-data hochgeladen (Feld „file“).", "unsupported-media-type");
        }
        var form = await http.Request.ReadFormAsync(ct);
        var v = new Validator { Language = "de" };
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            v.Add("file", "Bitte eine Datei auswählen (sie darf nicht leer sein).");
        }
        else if (file.Length > DocumentLimits.MaxBytes)
        {
            return TooLarge();
        }
        var fileName = CleanFileName(file?.FileName);
        if (file is not null && fileName.Length == 0)
        {
            v.Add("file", "Die Datei braucht einen Namen.");
        }
        var title = v.Text(form["title"].Count > 0 ? form["title"].ToString() : Path.GetFileNameWithoutExtension(fileName), "title", DocumentLimits.TitleMax);
        var phaseId = OptionalId(form, "phaseId", v);
        var itemId = OptionalId(form, "itemId", v);
        var eventId = OptionalId(form, "eventId", v);
        v.Check(new[] { phaseId, itemId, eventId }.Count(id => id is not null) <= 1, "itemId",
            "Ein Dokument gehört zu einer Phase, einem Inhalt oder einer Veranstaltung, nicht zu mehreren.");
        if (v.Failed)
        {
            return v.Problem();
        }

        byte[] bytes;
        await using (var input = file!.OpenReadStream())
        {
            using var buffer = new MemoryStream((int)file.Length);
            await input.CopyToAsync(buffer, ct);
            bytes = buffer.ToArray();
        }
        var (type, refusal) = DocumentTypes.Detect(bytes);
        if (type is null)
        {
            return Problems.Invalid("file", refusal!, language: "de");
        }
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!type.Extensions.Contains(extension))
        {
            return Problems.Invalid("file",
                $"Der Inhalt ist ein {type.Label}, der Dateiname endet aber auf „{extension}“. Erwartet: {string.Join(" oder ", type.Extensions)}.", language: "de");
        }

        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("Der Prozess ist archiviert und nimmt keine Dokumente mehr an.", "process-archived");
        }
        if (phaseId is { } phase && !await db.Phases.AnyAsync(p => p.Id == phase && p.ProcessId == processId, ct))
        {
            return Problems.Invalid("phaseId", "Diese Phase gehört nicht zu diesem Prozess.", language: "de");
        }
        if (itemId is { } item && !await db.Items.AnyAsync(i => i.Id == item && i.ProcessId == processId, ct))
        {
            return Problems.Invalid("itemId", "Dieser Inhalt gehört nicht zu diesem Prozess.", language: "de");
        }
        if (eventId is { } ev && !await db.Events.AnyAsync(e => e.Id == ev && e.ProcessId == processId, ct))
        {
            return Problems.Invalid("eventId", "Diese Veranstaltung gehört nicht zu diesem Prozess.", language: "de");
        }
        if (await db.Documents.CountAsync(d => d.ProcessId == processId, ct) >= DocumentLimits.MaxPerProcess)
        {
            return Problems.Conflict($"Ein Prozess kann höchstens {DocumentLimits.MaxPerProcess} Dokumente haben; bitte zuerst alte entfernen.", "too-many-documents");
        }

        var now = clock.GetUtcNow();
        var row = new DocumentRow
        {
            Id = Guid.CreateVersion7(now),
            ProcessId = processId,
            PhaseId = phaseId,
            ItemId = itemId,
            EventId = eventId,
            Title = title,
            FileName = fileName,
            Kind = type.Kind,
            Size = bytes.LongLength,
            Sha256 = SHA256.HashData(bytes),
            UploadedBy = user.OptionalUserId(),
            UploadedAt = now,
        };
        db.Documents.Add(row);
        store.Add(db, row.Id, bytes);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/processes/{processId}/documents/{row.Id}/content", ToResponse(row));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid processId, Guid documentId, ProposalsDb db, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        var row = process is null ? null : await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId && d.ProcessId == processId, ct);
        if (process is null || row is null)
        {
            return Problems.NotFound(process is null ? "The process does not exist." : "The document does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("Der Prozess ist archiviert; seine Dokumente bleiben, wie sie sind.", "process-archived");
        }
        db.Documents.Remove(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge,
            $"Ein Dokument darf höchstens {DocumentLimits.MaxBytes / (1024 * 1024)} MB groß sein.", "body-too-large");

    private static Guid? OptionalId(IFormCollection form, string field, Validator v)
    {
        var text = form[field].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (Guid.TryParse(text, out var id))
        {
            return id;
        }
        v.Add(field, "Keine gültige Id.");
        return null;
    }

    /// <summary>The name without any folder part, trimmed and cut to the limit (keeping the extension).</summary>
    internal static string CleanFileName(string? name)
    {
        var bare = Path.GetFileName((name ?? "").Replace('\\', '/')).Trim();
        if (bare.Length <= DocumentLimits.FileNameMax)
        {
            return bare;
        }
        var extension = Path.GetExtension(bare);
        return bare[..(DocumentLimits.FileNameMax - extension.Length)] + extension;
    }

    private static ProcessDocument ToResponse(DocumentRow d) =>
        new(d.Id, d.ProcessId, d.PhaseId, d.ItemId, d.Title, d.FileName, d.Kind, DocumentTypes.ByKind(d.Kind)!.ContentType, d.Size, d.UploadedAt, d.EventId);
}
