using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Proposals.Api.Features.Events;

/// <summary>
/// Registration for events: a signed-in person registers and cancels; when the seats are taken they go on the waiting
/// list and move up, oldest first, when a seat becomes free. Every change runs in one transaction holding the event's
/// row lock, so concurrent registrations never give out more seats than there are. Staff see the list and export it
/// as the sign-in sheet (name, status, a column to sign; nothing else).
/// </summary>
public static class EventRegistrationsApi
{
    public const int NameMax = 200;

    public static IEndpointRouteBuilder MapEventRegistrationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes/{processId:guid}/events/{eventId:guid}").WithTags("Events");
        group.MapPost("/registration", Register).RequireAuthorization(AuthPolicies.Citizen);
        group.MapDelete("/registration", Unregister).RequireAuthorization(AuthPolicies.Citizen);
        group.MapGet("/registrations", Attendees).RequireAuthorization(AuthPolicies.Staff);
        group.MapGet("/registrations/csv", SignInSheet).RequireAuthorization(AuthPolicies.Staff)
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "text/csv").ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/me/event-registrations", Mine).RequireAuthorization(AuthPolicies.Citizen).WithTags("Events");
        return app;
    }

    private static async Task<Results<Ok<ProcessEvent>, ProblemHttpResult>> Register(
        Guid processId, Guid eventId, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var me = user.UserId();
        var name = (user.DisplayName() ?? "").Trim();
        name = name.Length == 0 ? "(ohne Namen)" : name.Length > NameMax ? name[..NameMax] : name;
        var problem = await db.InTransactionAsync(async token =>
        {
            var row = await LockAsync(db, eventId, token);
            if (row is null || row.ProcessId != processId || !await db.CanSeePhaseAsync(user, row.PhaseId, token))
            {
                return Problems.NotFound("The event does not exist.");
            }
            if (Closed(row, clock.GetUtcNow()) is { } closed)
            {
                return closed;
            }
            if (await db.EventRegistrations.AnyAsync(r => r.EventId == eventId && r.AccountId == me, token))
            {
                return (ProblemHttpResult?)null; // registering twice changes nothing
            }
            var taken = await db.EventRegistrations.CountAsync(r => r.EventId == eventId && r.Status == RegistrationStatuses.Registered, token);
            db.EventRegistrations.Add(new EventRegistrationRow
            {
                EventId = eventId,
                AccountId = me,
                Name = name,
                Status = row.Capacity is { } capacity && taken >= capacity ? RegistrationStatuses.Waiting : RegistrationStatuses.Registered,
                RegisteredAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(token);
            return null;
        }, ct);
        return problem ?? await CurrentAsync(db, processId, eventId, user, ct);
    }

    private static async Task<Results<Ok<ProcessEvent>, ProblemHttpResult>> Unregister(
        Guid processId, Guid eventId, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var me = user.UserId();
        var problem = await db.InTransactionAsync(async token =>
        {
            var row = await LockAsync(db, eventId, token);
            if (row is null || row.ProcessId != processId || !await db.CanSeePhaseAsync(user, row.PhaseId, token))
            {
                return Problems.NotFound("The event does not exist.");
            }
            var mine = await db.EventRegistrations.SingleOrDefaultAsync(r => r.EventId == eventId && r.AccountId == me, token);
            if (mine is null)
            {
                return Problems.NotFound("The registration does not exist.");
            }
            if (row.StartsAt <= clock.GetUtcNow())
            {
                return Problems.Invalid("registration", "Die Veranstaltung hat schon begonnen; die Anmeldung lässt sich nicht mehr abmelden.");
            }
            db.EventRegistrations.Remove(mine);
            await db.SaveChangesAsync(token);
            await MoveUpAsync(db, row, token);
            return (ProblemHttpResult?)null;
        }, ct);
        return problem ?? await CurrentAsync(db, processId, eventId, user, ct);
    }

    private static async Task<Results<Ok<IReadOnlyList<EventAttendee>>, ProblemHttpResult>> Attendees(
        Guid processId, Guid eventId, ProposalsDb db, CancellationToken ct)
    {
        if (!await db.Events.AnyAsync(e => e.Id == eventId && e.ProcessId == processId, ct))
        {
            return Problems.NotFound("The event does not exist.");
        }
        return TypedResults.Ok<IReadOnlyList<EventAttendee>>(await LoadAttendeesAsync(db, eventId, ct));
    }

    private static async Task<IResult> SignInSheet(Guid processId, Guid eventId, ProposalsDb db, CancellationToken ct)
    {
        var row = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId && e.ProcessId == processId, ct);
        if (row is null)
        {
            return Problems.NotFound("The event does not exist.");
        }
        var attendees = await LoadAttendeesAsync(db, eventId, ct);
        return TypedResults.File(await ToCsvAsync(attendees, ct), "text/csv; charset=utf-8", $"anmeldungen-{row.StartsAt.UtcDateTime:yyyy-MM-dd}.csv");
    }

    private static async Task<Ok<IReadOnlyList<MyEventRegistration>>> Mine(ProposalsDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var me = user.UserId();
        // Only events of processes the caller may still see (a process back in draft, or internal, hides its events).
        var visible = db.Processes.VisibleTo(db, user);
        var rows = await (
                from r in db.EventRegistrations.AsNoTracking()
                join e in db.Events.AsNoTracking().VisibleTo(db, user) on r.EventId equals e.Id
                join p in visible on e.ProcessId equals p.Id
                where r.AccountId == me
                orderby e.StartsAt descending
                select new MyEventRegistration(e.Id, e.ProcessId, e.Title, e.StartsAt, e.EndsAt, e.Cancelled, r.Status, r.RegisteredAt))
            .ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<MyEventRegistration>>(rows);
    }

    /// <summary>The sign-in sheet for German Excel (the shared csv-de writer: UTF-8 with BOM, ';', names neutralised), a column to sign.</summary>
    internal static async Task<byte[]> ToCsvAsync(IReadOnlyList<EventAttendee> attendees, CancellationToken ct)
    {
        var table = new ExportTable("Anmeldungen", ["Nr.", "Name", "Status", "Unterschrift"],
            attendees.Select((a, i) => new object?[] { i + 1, a.Name, a.Status == RegistrationStatuses.Registered ? "angemeldet" : "Warteliste", null })
                .ToAsyncEnumerable());
        using var buffer = new MemoryStream();
        await CsvExport.WriteAsync(buffer, table, german: true, ct);
        return buffer.ToArray();
    }

    /// <summary>Seats first (in order of registration), then the waiting list in the order it moves up.</summary>
    private static async Task<List<EventAttendee>> LoadAttendeesAsync(ProposalsDb db, Guid eventId, CancellationToken ct) =>
        await db.EventRegistrations.AsNoTracking().Where(r => r.EventId == eventId)
            .OrderBy(r => r.Status == RegistrationStatuses.Registered ? 0 : 1).ThenBy(r => r.RegisteredAt).ThenBy(r => r.AccountId)
            .Select(r => new EventAttendee(r.Name, r.Status, r.RegisteredAt)).ToListAsync(ct);

    private static ProblemHttpResult? Closed(EventRow row, DateTimeOffset now) =>
        !row.Registration ? Problems.Invalid("registration", "Für diese Veranstaltung gibt es keine Anmeldung.")
        : row.Cancelled ? Problems.Invalid("registration", "Die Veranstaltung ist abgesagt.")
        : row.StartsAt <= now ? Problems.Invalid("registration", "Die Veranstaltung hat schon begonnen oder ist vorbei; eine Anmeldung ist nicht mehr möglich.")
        : null;

    /// <summary>Takes the event's row lock for the rest of the transaction (null when there is no such event).</summary>
    internal static async Task<EventRow?> LockAsync(ProposalsDb db, Guid eventId, CancellationToken ct) =>
        await db.Events.FromSql($"SELECT * FROM events WHERE id = {eventId} FOR UPDATE").SingleOrDefaultAsync(ct);

    /// <summary>Fills free seats from the waiting list, oldest first. Call with the event's lock held.</summary>
    internal static async Task MoveUpAsync(ProposalsDb db, EventRow row, CancellationToken ct)
    {
        var taken = await db.EventRegistrations.CountAsync(r => r.EventId == row.Id && r.Status == RegistrationStatuses.Registered, ct);
        var free = row.Capacity is { } capacity ? capacity - taken : int.MaxValue;
        if (free <= 0)
        {
            return;
        }
        var next = await db.EventRegistrations.Where(r => r.EventId == row.Id && r.Status == RegistrationStatuses.Waiting)
            .OrderBy(r => r.RegisteredAt).ThenBy(r => r.AccountId).Take(free).ToListAsync(ct);
        foreach (var waiting in next)
        {
            waiting.Status = RegistrationStatuses.Registered;
        }
        await db.SaveChangesAsync(ct);
    }

    private static async Task<Results<Ok<ProcessEvent>, ProblemHttpResult>> CurrentAsync(
        ProposalsDb db, Guid processId, Guid eventId, ClaimsPrincipal user, CancellationToken ct)
    {
        var row = await db.Events.AsNoTracking().SingleAsync(e => e.Id == eventId && e.ProcessId == processId, ct);
        return TypedResults.Ok((await EventsApi.ToResponsesAsync(db, [row], user, ct))[0]);
    }
}
