using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Proposals.Api.Features.Import;

public sealed record ImportResult(int Imported, IReadOnlyList<Guid> ItemIds);

public static class ImportApi
{
    public const long MaxCsvBytes = 10 * 1024 * 1024;

    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/processes/{processId:guid}/items/import", Import).WithTags("Items").RequireAuthorization(AuthPolicies.Staff)
            .Accepts<string>("text/csv");
        return app;
    }

    /// <summary>All rows or none: every bad row is reported with its line number (422) and nothing is stored.</summary>
    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Import(Guid processId, HttpContext http, ProposalsDb db,
        TimeProvider clock, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxCsvBytes;
        }
        if (http.Request.ContentLength > MaxCsvBytes)
        {
            return Problems.Problem(StatusCodes.Status413PayloadTooLarge,
                $"A CSV import may have at most {MaxCsvBytes / (1024 * 1024)} MB.", "body-too-large");
        }
        if (http.Request.ContentType is not { } contentType || !contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send the file as text/csv (UTF-8).", "unsupported-media-type");
        }
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived and takes no new items.", "process-archived");
        }

        string text;
        try
        {
            // Read asynchronously (Kestrel forbids synchronous body reads), then parse from memory.
            using var reader = new StreamReader(http.Request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            text = await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            return Rejected([new ImportError(0, "", "The file is not valid UTF-8; save it as \"CSV UTF-8\".", ImportErrorCodes.NotUtf8)]);
        }
        var (rows, errors) = CsvItemImport.Parse(new StringReader(text));
        var catalog = await ProcessCatalog.LoadAsync(db, process, ct);
        // Every problem of the file at once: names are resolved even when other rows already failed.
        var drafts = CsvItemImport.Resolve(rows, catalog, errors);
        var failedLines = errors.Select(e => e.Line).ToHashSet();
        foreach (var (row, id, draft) in drafts.Where(d => !failedLines.Contains(d.Row.Line)))
        {
            errors.AddRange(ItemRules.Check(catalog, draft, id)
                .Where(e => e.Field is not ("parentId" or "fieldOfActionIds" or "themeIds" or "district")) // already reported by name
                .Select(e => new ImportError(row.Line, e.Field, e.Message)));
        }
        if (errors.Count > 0)
        {
            return Rejected(errors.OrderBy(e => e.Line).ThenBy(e => e.Field).ToList());
        }

        var now = clock.GetUtcNow();
        foreach (var (_, id, draft) in drafts)
        {
            var item = ItemRules.Create(catalog, draft, official: true, authorId: http.User.OptionalUserId(), authorName: null, now, id);
            db.Items.Add(item);
            if (process.Status == ProcessStatus.Published)
            {
                ItemRules.Publish(db, item, now);
            }
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ImportResult(drafts.Count, drafts.Select(d => d.Id).ToList()));
    }

    private static ProblemHttpResult Rejected(IReadOnlyList<ImportError> errors) =>
        Problems.Problem(StatusCodes.Status422UnprocessableEntity,
            $"{errors.Count} problem(s) found. Fix them and upload the whole file again.", "import-invalid",
            title: "The CSV has errors; nothing was imported", extensions: new Dictionary<string, object?> { ["errors"] = errors });
}
