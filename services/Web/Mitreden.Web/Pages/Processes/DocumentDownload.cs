using Mitreden.Web.Api;

namespace Mitreden.Web.Pages.Processes;

/// <summary>
/// Downloads a process document with the visitor's own rights (staff see the documents of drafts): the web asks
/// Proposals and passes the file on as an attachment.
/// </summary>
public static class DocumentDownload
{
    public static IEndpointRouteBuilder MapDocumentDownload(this IEndpointRouteBuilder app)
    {
        app.MapGet("/prozesse/{id:guid}/dokumente/{documentId:guid}", DownloadAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static string Url(Guid processId, Guid documentId) => $"/prozesse/{processId}/dokumente/{documentId}";

    // nosniff and the strict CSP come from SecurityHeadersMiddleware, as for every answer of the web.
    private static async Task<IResult> DownloadAsync(Guid id, Guid documentId, ProposalsApi proposals, CancellationToken ct)
    {
        var (file, problem) = await proposals.DocumentContentAsync(id, documentId, ct);
        if (file is null)
        {
            return Results.StatusCode(problem!.Status == 404 ? 404 : 400);
        }
        return Results.File(file.Content, file.ContentType, file.FileName ?? "dokument");
    }
}
