using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api.Features.Locations;
using Mitreden.Proposals.Api.Features.News;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.Events;

/// <summary>
/// Events of a process: anyone who may see the process lists and reads them (upcoming or past) and gets them as
/// iCalendar; staff create, change, cancel and delete them and write the minutes afterwards. An archived process keeps
/// its events and takes no new ones. Registration lives in <see cref="EventRegistrationsApi"/>.
/// </summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes/{processId:guid}/events").WithTags("Events");
        group.MapGet("/", List).AllowAnonymous().WithDescription("when=upcoming (default, soonest first) or past (latest first) or all.");
        group.MapGet("/{eventId:guid}", Get).AllowAnonymous();
        group.MapGet("/calendar", ProcessCalendar).AllowAnonymous()
            .Produces(StatusCodes.Status200OK, typeof(string), EventCalendar.ContentType).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{eventId:guid}/calendar", EventCalendarFile).AllowAnonymous()
            .Produces(StatusCodes.Status200OK, typeof(string), EventCalendar.ContentType).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).RequireAuthorization(AuthPolicies.Staff);
        group.MapPut("/{eventId:guid}", Update).RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("/{eventId:guid}/cancel", Cancel).RequireAuthorization(AuthPolicies.Staff);
        group.MapPut("/{eventId:guid}/minutes", SetMinutes).RequireAuthorization(AuthPolicies.Staff);
        group.MapDelete("/{eventId:guid}", Delete).RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ProcessEvent>>, ProblemHttpResult>> List(
        Guid processId, string? when, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var which = when ?? "upcoming";
        if (which is not ("upcoming" or "past" or "all"))
        {
            return Problems.Invalid("when", "Erlaubt sind „upcoming“, „past“ oder „all“.", language: "de");
        }
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var now = clock.GetUtcNow();
        var rows = db.Events.AsNoTracking().Where(e => e.ProcessId == processId).VisibleTo(db, user);
        rows = which switch
        {
            "upcoming" => rows.Where(e => e.EndsAt >= now).OrderBy(e => e.StartsAt).ThenBy(e => e.Id),
            "past" => rows.Where(e => e.EndsAt < now).OrderByDescending(e => e.StartsAt).ThenBy(e => e.Id),
            _ => rows.OrderBy(e => e.StartsAt).ThenBy(e => e.Id),
        };
        var list = await rows.ToListAsync(ct);
        var responses = await ToResponsesAsync(db, list, user, ct);
        return TypedResults.Ok<IReadOnlyList<ProcessEvent>>(responses);
    }

    private static async Task<Results<Ok<ProcessEvent>, ProblemHttpResult>> Get(
        Guid processId, Guid eventId, ProposalsDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var row = await db.Events.AsNoTracking().VisibleTo(db, user).SingleOrDefaultAsync(e => e.Id == eventId && e.ProcessId == processId, ct);
        return row is null ? Problems.NotFound("The event does not exist.") : TypedResults.Ok((await ToResponsesAsync(db, [row], user, ct))[0]);
    }

    private static async Task<IResult> ProcessCalendar(Guid processId, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var rows = await db.Events.AsNoTracking().Where(e => e.ProcessId == processId).VisibleTo(db, user).OrderBy(e => e.StartsAt).ToListAsync(ct);
        return Results.Text(EventCalendar.Write(process.Title, rows, clock.GetUtcNow()), EventCalendar.ContentType, System.Text.Encoding.UTF8);
    }

    private static async Task<IResult> EventCalendarFile(Guid processId, Guid eventId, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock,
        CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var row = await db.Events.AsNoTracking().VisibleTo(db, user).SingleOrDefaultAsync(e => e.Id == eventId && e.ProcessId == processId, ct);
        return row is null
            ? Problems.NotFound("The event does not exist.")
            : Results.Text(EventCalendar.Write(process.Title, [row], clock.GetUtcNow()), EventCalendar.ContentType, System.Text.Encoding.UTF8);
    }

    private static async Task<Results<Created<ProcessEvent>, ProblemHttpResult>> Create(
        Guid processId, ProcessEventRequest request, ProposalsDb db, NewsMarkdown markdown, CityAreas areas, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        if (await ValidateAsync(db, process, request, areas, ct) is { } invalid)
        {
            return invalid;
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("Der Prozess ist archiviert und nimmt keine Veranstaltungen mehr an.", "process-archived");
        }
        if (await db.Events.CountAsync(e => e.ProcessId == processId, ct) >= EventLimits.MaxPerProcess)
        {
            return Problems.Conflict($"Ein Prozess kann höchstens {EventLimits.MaxPerProcess} Veranstaltungen haben.", "too-many-events");
        }
        var now = clock.GetUtcNow();
        var row = new EventRow { Id = Guid.CreateVersion7(now), ProcessId = processId, Title = "", Description = "", DescriptionHtml = "", CreatedAt = now };
        Apply(row, request, markdown);
        db.Events.Add(row);
        db.AddOutboxMessage(Scheduled(row, now));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/processes/{processId}/events/{row.Id}", (await ToResponsesAsync(db, [row], user, ct))[0]);
    }

    private static async Task<Results<Ok<ProcessEvent>, ProblemHttpResult>> Update(
        Guid processId, Guid eventId, ProcessEventRequest request, ProposalsDb db, NewsMarkdown markdown, CityAreas areas,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var (process, existing) = await FindAsync(db, processId, eventId, ct);
        if (process is null || existing is null)
        {
            return Problems.NotFound(process is null ? "The process does not exist." : "The event does not exist.");
        }
        if (await ValidateAsync(db, process, request, areas, ct) is { } invalid)
        {
            return invalid;
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("Der Prozess ist archiviert; seine Veranstaltungen bleiben, wie sie sind.", "process-archived");
        }
        // Under the event's lock: a larger capacity moves people up from the waiting list, in the same transaction.
        var outcome = await db.InTransactionAsync(async token =>
        {
            var row = await EventRegistrationsApi.LockAsync(db, eventId, token);
            if (row is null)
            {
                return Problems.NotFound("The event does not exist.");
            }
            var registered = await db.EventRegistrations.CountAsync(r => r.EventId == eventId && r.Status == RegistrationStatuses.Registered, token);
            var waiting = await db.EventRegistrations.CountAsync(r => r.EventId == eventId && r.Status == RegistrationStatuses.Waiting, token);
            if (request.Registration && request.Capacity is { } capacity && capacity < registered)
            {
                return Problems.Invalid("capacity", $"Es sind schon {registered} Personen angemeldet; die Zahl der Plätze kann nicht darunter sinken.", language: "de");
            }
            if (!request.Registration && registered + waiting > 0)
            {
                return Problems.Invalid("registration", "Es gibt schon Anmeldungen; die Anmeldung kann nicht mehr abgeschaltet werden.", language: "de");
            }
            Apply(row, request, markdown);
            row.Revision++;
            row.UpdatedAt = clock.GetUtcNow();
            if (!row.Cancelled)
            {
                db.AddOutboxMessage(Scheduled(row, row.UpdatedAt.Value));
            }
            await db.SaveChangesAsync(token);
            await EventRegistrationsApi.MoveUpAsync(db, row, token);
            return (ProblemHttpResult?)null;
        }, ct);
        if (outcome is not null)
        {
            return outcome;
        }
        var updated = await db.Events.AsNoTracking().SingleAsync(e => e.Id == eventId, ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [updated], user, ct))[0]);
    }

    private static async Task<Results<Ok<ProcessEvent>, ProblemHttpResult>> Cancel(
        Guid processId, Guid eventId, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var (process, row) = await FindAsync(db, processId, eventId, ct);
        if (process is null || row is null)
        {
            return Problems.NotFound(process is null ? "The process does not exist." : "The event does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("Der Prozess ist archiviert; seine Veranstaltungen bleiben, wie sie sind.", "process-archived");
        }
        // Registrations stay: the people who registered are the ones to tell.
        if (!row.Cancelled)
        {
            row.Cancelled = true;
            row.Revision++;
            db.AddOutboxMessage(new EventCancelled(row.Id, row.ProcessId, false, clock.GetUtcNow()));
        }
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [row], user, ct))[0]);
    }

    private static async Task<Results<Ok<ProcessEvent>, ProblemHttpResult>> SetMinutes(
        Guid processId, Guid eventId, EventMinutesRequest request, ProposalsDb db, NewsMarkdown markdown, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        var v = new Validator { Language = "de" };
        var minutes = v.OptionalText(request.Minutes, "minutes", EventLimits.MinutesMax);
        if (v.Failed)
        {
            return Problems.Invalid("minutes", $"Höchstens {EventLimits.MinutesMax} Zeichen.", language: "de");
        }
        var (process, row) = await FindAsync(db, processId, eventId, ct);
        if (process is null || row is null)
        {
            return Problems.NotFound(process is null ? "The process does not exist." : "The event does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("Der Prozess ist archiviert; seine Veranstaltungen bleiben, wie sie sind.", "process-archived");
        }
        if (minutes is not null && row.StartsAt > clock.GetUtcNow())
        {
            return Problems.Invalid("minutes", "Ein Protokoll gibt es erst, wenn die Veranstaltung begonnen hat.", language: "de");
        }
        row.Minutes = minutes;
        row.MinutesHtml = minutes is null ? null : markdown.ToHtml(minutes);
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [row], user, ct))[0]);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid processId, Guid eventId, ProposalsDb db, TimeProvider clock,
        CancellationToken ct)
    {
        var (process, row) = await FindAsync(db, processId, eventId, ct);
        if (process is null || row is null)
        {
            return Problems.NotFound(process is null ? "The process does not exist." : "The event does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("Der Prozess ist archiviert; seine Veranstaltungen bleiben, wie sie sind.", "process-archived");
        }
        // Its documents stay with the process (their event id is cleared by the foreign key).
        db.Events.Remove(row);
        if (!row.Cancelled)
        {
            db.AddOutboxMessage(new EventCancelled(row.Id, row.ProcessId, true, clock.GetUtcNow()));
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<(Process? Process, EventRow? Row)> FindAsync(ProposalsDb db, Guid processId, Guid eventId, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        var row = process is null ? null : await db.Events.SingleOrDefaultAsync(e => e.Id == eventId && e.ProcessId == processId, ct);
        return (process, row);
    }

    /// <summary>The 422 answer naming every field that is not acceptable, or null; checks phase and fields against the process.</summary>
    internal static async Task<ProblemHttpResult?> ValidateAsync(ProposalsDb db, Process process, ProcessEventRequest request, CityAreas areas,
        CancellationToken ct)
    {
        var processId = process.Id;
        var errors = Check(request);
        if (request.District is { } district && !await db.Districts.AnyAsync(d => d.City == process.City && d.Slug == district, ct))
        {
            errors.Add(("district", $"„{district}“ ist kein Stadtteil von {process.City}."));
        }
        if (request.PhaseId is { } phase && !await db.Phases.AnyAsync(p => p.Id == phase && p.ProcessId == processId, ct))
        {
            errors.Add(("phaseId", "Diese Phase gehört nicht zu diesem Prozess."));
        }
        var fields = (request.FieldOfActionIds ?? []).Distinct().ToList();
        if (fields.Count > 0 && await db.FieldsOfAction.CountAsync(f => f.ProcessId == processId && fields.Contains(f.Id), ct) != fields.Count)
        {
            errors.Add(("fieldOfActionIds", "Mindestens ein Handlungsfeld gehört nicht zu diesem Prozess."));
        }
        return errors.Count == 0
            ? LocationRules.Check(request.Location, process.City, areas)
            : Problems.Invalid(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()), language: "de");
    }

    /// <summary>The rules of an event that need no database (also used by the demo seed).</summary>
    internal static List<(string Field, string Message)> Check(ProcessEventRequest request)
    {
        var errors = new List<(string, string)>();
        void Text(string? value, string field, int max, bool required)
        {
            var trimmed = value?.Trim() ?? "";
            if (required && trimmed.Length == 0)
            {
                errors.Add((field, "Darf nicht leer sein."));
            }
            else if (trimmed.Length > max)
            {
                errors.Add((field, $"Höchstens {max} Zeichen."));
            }
        }
        Text(request.Title, "title", EventLimits.TitleMax, required: true);
        Text(request.Description, "description", EventLimits.DescriptionMax, required: false);
        Text(request.Place, "place", EventLimits.PlaceMax, required: false);
        Text(request.OnlineUrl, "onlineUrl", EventLimits.OnlineUrlMax, required: false);
        if (request.StartsAt == default)
        {
            errors.Add(("startsAt", "Bitte Beginn angeben."));
        }
        if (request.EndsAt == default)
        {
            errors.Add(("endsAt", "Bitte Ende angeben."));
        }
        else if (request.EndsAt <= request.StartsAt)
        {
            errors.Add(("endsAt", "Das Ende muss nach dem Beginn liegen."));
        }
        var online = request.OnlineUrl?.Trim();
        if (string.IsNullOrEmpty(request.Place?.Trim()) && string.IsNullOrEmpty(online))
        {
            errors.Add(("place", "Bitte einen Ort oder einen Online-Link angeben."));
        }
        if (!string.IsNullOrEmpty(online)
            && !(Uri.TryCreate(online, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0 && string.IsNullOrEmpty(uri.UserInfo)))
        {
            errors.Add(("onlineUrl", "Der Online-Link muss eine vollständige https-Adresse sein."));
        }
        if (request.Capacity is { } capacity && (capacity < 1 || capacity > EventLimits.CapacityMax))
        {
            errors.Add(("capacity", $"Die Zahl der Plätze muss zwischen 1 und {EventLimits.CapacityMax} liegen."));
        }
        if (request.Capacity is not null && !request.Registration)
        {
            errors.Add(("capacity", "Plätze gibt es nur mit Anmeldung."));
        }
        return errors;
    }

    /// <summary>What Identity needs to remind followers (no registrations, no description).</summary>
    internal static EventScheduled Scheduled(EventRow row, DateTimeOffset now) =>
        new(row.Id, row.ProcessId, row.PhaseId, row.Title, row.StartsAt, row.EndsAt, row.Place, row.OnlineUrl is not null, row.Revision, now);

    internal static void Apply(EventRow row, ProcessEventRequest request, NewsMarkdown markdown)
    {
        row.Title = request.Title.Trim();
        row.Description = request.Description?.Trim() ?? "";
        row.DescriptionHtml = row.Description.Length == 0 ? "" : markdown.ToHtml(row.Description);
        row.StartsAt = request.StartsAt.ToUniversalTime();
        row.EndsAt = request.EndsAt.ToUniversalTime();
        row.Place = string.IsNullOrWhiteSpace(request.Place) ? null : request.Place.Trim();
        row.OnlineUrl = string.IsNullOrWhiteSpace(request.OnlineUrl) ? null : request.OnlineUrl.Trim();
        row.PhaseId = request.PhaseId;
        row.District = string.IsNullOrWhiteSpace(request.District) ? null : request.District;
        row.Latitude = request.Location?.Latitude;
        row.Longitude = request.Location?.Longitude;
        row.FieldOfActionIds = (request.FieldOfActionIds ?? []).Distinct().ToList();
        row.Registration = request.Registration;
        row.Capacity = request.Registration ? request.Capacity : null;
    }

    internal static async Task<List<ProcessEvent>> ToResponsesAsync(ProposalsDb db, IReadOnlyList<EventRow> rows, ClaimsPrincipal user, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var counts = await db.EventRegistrations.AsNoTracking().Where(r => ids.Contains(r.EventId))
            .GroupBy(r => new { r.EventId, r.Status }).Select(g => new { g.Key.EventId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        var mine = new Dictionary<Guid, string>();
        if (user.TryGetUserId(out var me))
        {
            mine = await db.EventRegistrations.AsNoTracking().Where(r => r.AccountId == me && ids.Contains(r.EventId))
                .ToDictionaryAsync(r => r.EventId, r => r.Status, ct);
        }
        int Count(Guid id, string status) => counts.FirstOrDefault(c => c.EventId == id && c.Status == status)?.Count ?? 0;
        return rows.Select(r => new ProcessEvent(r.Id, r.ProcessId, r.Title, r.Description, r.DescriptionHtml, r.StartsAt, r.EndsAt, r.Place,
            r.OnlineUrl, r.PhaseId, r.FieldOfActionIds, r.Registration, r.Capacity, Count(r.Id, RegistrationStatuses.Registered),
            Count(r.Id, RegistrationStatuses.Waiting), r.Cancelled, r.Minutes, r.MinutesHtml, mine.GetValueOrDefault(r.Id), r.CreatedAt,
            r.UpdatedAt, r.Latitude is { } lat && r.Longitude is { } lon ? new GeoPoint(lat, lon) : null, r.District)).ToList();
    }
}
