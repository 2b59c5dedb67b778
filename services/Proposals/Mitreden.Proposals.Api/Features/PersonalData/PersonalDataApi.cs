using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Proposals.Api.Features.PersonalData;

public sealed record MyItemRecord(Guid Id, Guid ProcessId, string Kind, string Title, string Description, string? District, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt);

public sealed record MyNewsRecord(Guid Id, Guid ProcessId, string Title, DateTimeOffset PublishedAt, DateTimeOffset? UpdatedAt);

public sealed record MyDocumentRecord(Guid Id, Guid ProcessId, string Title, string FileName, long Size, DateTimeOffset UploadedAt);

public sealed record MyEventRegistrationRecord(Guid EventId, Guid ProcessId, string EventTitle, DateTimeOffset StartsAt, string NameOnList,
    string Status, DateTimeOffset RegisteredAt);

public sealed record MyMonitoringRecord(Guid ItemId, string Status, int ProgressPercent, string? Note, DateTimeOffset RecordedAt);

/// <summary>A process staff invited the person to (members-only processes).</summary>
public sealed record MyMembershipRecord(Guid ProcessId, string ProcessTitle, DateTimeOffset AddedAt);

/// <summary>
/// Everything Proposals keeps about one person (GDPR Art. 15/20): the ideas and items they wrote, their event
/// registrations, the processes they were invited to, and — for staff — the news, documents and monitoring entries they made.
/// </summary>
public sealed record ProposalsPersonalData(DateTimeOffset ExportedAt, IReadOnlyList<MyItemRecord> Items,
    IReadOnlyList<MyEventRegistrationRecord> EventRegistrations, IReadOnlyList<MyNewsRecord> News,
    IReadOnlyList<MyDocumentRecord> Documents, IReadOnlyList<MyMonitoringRecord> MonitoringEntries,
    IReadOnlyList<MyMembershipRecord> Memberships);

public static class PersonalDataApi
{
    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/me/export", ExportAsync).RequireAuthorization(AuthPolicies.Citizen).WithTags("Personal data");
        return app;
    }

    private static async Task<Ok<ProposalsPersonalData>> ExportAsync(HttpContext http, ProposalsDb db, TimeProvider time, CancellationToken ct)
    {
        var me = http.User.UserId();
        var items = (await db.Items.AsNoTracking().Where(i => i.AuthorId == me).OrderBy(i => i.CreatedAt).ToListAsync(ct))
            .Select(i => new MyItemRecord(i.Id, i.ProcessId, i.Kind, i.Title, i.Description, i.District, i.Status, i.CreatedAt, i.PublishedAt))
            .ToList();
        var registrations = await (from r in db.EventRegistrations.AsNoTracking()
                                   join e in db.Events.AsNoTracking() on r.EventId equals e.Id
                                   where r.AccountId == me
                                   orderby e.StartsAt
                                   select new MyEventRegistrationRecord(e.Id, e.ProcessId, e.Title, e.StartsAt, r.Name, r.Status, r.RegisteredAt))
            .ToListAsync(ct);
        var news = await db.NewsPosts.AsNoTracking().Where(n => n.AuthorId == me).OrderBy(n => n.PublishedAt)
            .Select(n => new MyNewsRecord(n.Id, n.ProcessId, n.Title, n.PublishedAt, n.UpdatedAt)).ToListAsync(ct);
        var documents = await db.Documents.AsNoTracking().Where(d => d.UploadedBy == me).OrderBy(d => d.UploadedAt)
            .Select(d => new MyDocumentRecord(d.Id, d.ProcessId, d.Title, d.FileName, d.Size, d.UploadedAt)).ToListAsync(ct);
        var monitoring = (await db.MonitoringEntries.AsNoTracking().Where(m => m.RecordedBy == me).OrderBy(m => m.RecordedAt).ToListAsync(ct))
            .Select(m => new MyMonitoringRecord(m.ItemId, KebabEnum.ToText(m.Status), m.ProgressPercent, m.Note, m.RecordedAt)).ToList();
        var memberships = await (from m in db.ProcessMembers.AsNoTracking()
                                 join p in db.Processes.AsNoTracking() on m.ProcessId equals p.Id
                                 where m.AccountId == me
                                 orderby m.AddedAt
                                 select new MyMembershipRecord(p.Id, p.Title, m.AddedAt)).ToListAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ProposalsPersonalData(time.GetUtcNow(), items, registrations, news, documents, monitoring, memberships));
    }
}
