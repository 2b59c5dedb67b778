using Mitreden.Web.Api;

namespace Mitreden.Web.Pages.Processes;

/// <summary>
/// iCalendar files of one event or of all events of a process, with the visitor's own rights: the web asks Proposals
/// (which writes the calendar) and passes it on as an attachment for calendar programs.
/// </summary>
public static class EventCalendarDownload
{
    public static IEndpointRouteBuilder MapEventCalendarDownload(this IEndpointRouteBuilder app)
    {
        app.MapGet("/prozesse/{id:guid}/veranstaltungen.ics", (Guid id, ProposalsApi proposals, CancellationToken ct) =>
            DownloadAsync(proposals, id, null, ct)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/prozesse/{id:guid}/veranstaltungen/{eventId:guid}.ics", (Guid id, Guid eventId, ProposalsApi proposals, CancellationToken ct) =>
            DownloadAsync(proposals, id, eventId, ct)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static string ProcessUrl(Guid processId) => $"/prozesse/{processId}/veranstaltungen.ics";

    public static string EventUrl(Guid processId, Guid eventId) => $"/prozesse/{processId}/veranstaltungen/{eventId}.ics";

    private static async Task<IResult> DownloadAsync(ProposalsApi proposals, Guid processId, Guid? eventId, CancellationToken ct)
    {
        var (file, problem) = await proposals.EventCalendarAsync(processId, eventId, ct);
        if (file is null)
        {
            return Results.StatusCode(problem!.Status == 404 ? 404 : 400);
        }
        var name = eventId is { } id ? $"veranstaltung-{id:N}.ics" : $"veranstaltungen-{processId:N}.ics";
        return Results.File(file.Content, "text/calendar; charset=utf-8", name);
    }
}
