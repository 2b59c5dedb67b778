using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Contracts;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>What an event tells: the kind, the thing it is about, and what the mail names and links to.</summary>
/// <param name="Reason">A moderation decision's reason code.</param>
/// <param name="PhaseId">The phase the thing belongs to: people who may not see that phase are left out too.</param>
public sealed record NotificationSource(string Kind, Guid SourceId, Guid? ProcessId, string Title, string? Detail, string LinkPath,
    string? Reason = null, Guid? PhaseId = null);

/// <summary>
/// Writes notifications for the people an event concerns: those who want the kind, have a confirmed address and may
/// see the process. Idempotent by the unique (recipient, kind, source) key: rows already there are skipped, and two
/// deliveries racing for one row collide on the key, so the loser is retried and then skips it.
/// </summary>
public sealed class Notifier(IdentityDb db, TimeProvider time, NotificationOptions options)
{
    /// <summary>Everyone following the process.</summary>
    public async Task ToFollowersAsync(NotificationSource source, CancellationToken ct)
    {
        var processId = source.ProcessId ?? throw new ArgumentException("A process event needs its process.", nameof(source));
        var followers = await db.ProcessFollows.Where(f => f.ProcessId == processId).Select(f => f.UserId).ToListAsync(ct);
        await ToAsync(followers, source, ct);
    }

    public async Task ToAsync(IReadOnlyCollection<Guid> candidates, NotificationSource source, CancellationToken ct)
    {
        if (candidates.Count == 0)
        {
            return;
        }
        var audience = source.ProcessId is { } processId
            ? await db.ProcessAudiences.AsNoTracking().SingleOrDefaultAsync(a => a.ProcessId == processId, ct)
            : null;
        var phaseVisibility = source.PhaseId is { } phaseId
            ? await db.PhaseAudiences.Where(a => a.PhaseId == phaseId).Select(a => a.Visibility).SingleOrDefaultAsync(ct)
            : null;
        var staffRoles = new[] { SeededRoles.IdOf(Roles.Staff), SeededRoles.IdOf(Roles.Admin) };
        var people = await db.Users.AsNoTracking()
            .Where(u => candidates.Contains(u.Id) && u.EmailConfirmed)
            .Select(u => new
            {
                u.Id,
                Staff = db.UserRoles.Any(r => r.UserId == u.Id && staffRoles.Contains(r.RoleId)),
                Mode = db.NotificationSettings.Where(s => s.UserId == u.Id && s.Kind == source.Kind).Select(s => s.Mode).FirstOrDefault(),
                Exists = db.Notifications.Any(n => n.RecipientId == u.Id && n.Kind == source.Kind && n.SourceId == source.SourceId),
            })
            .ToListAsync(ct);
        var now = time.GetUtcNow();
        var digestAt = DigestSchedule.NextAfter(now, options.DigestHour);
        foreach (var person in people)
        {
            var mode = person.Mode ?? NotificationKinds.DefaultMode(source.Kind);
            if (person.Exists || mode == NotificationModes.Off)
            {
                continue;
            }
            if (source.ProcessId is not null && !MaySee(audience, phaseVisibility, person.Staff, person.Id))
            {
                continue;
            }
            var digest = mode == NotificationModes.Digest;
            db.Notifications.Add(new Notification
            {
                RecipientId = person.Id,
                Kind = source.Kind,
                SourceId = source.SourceId,
                ProcessId = source.ProcessId,
                Title = Truncate(source.Title, 500),
                Detail = source.Detail is null ? null : Truncate(source.Detail, 2000),
                LinkPath = source.LinkPath,
                Reason = source.Reason,
                Digest = digest,
                CreatedAt = now,
                DueAt = digest ? digestAt : now,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A process Identity has not heard of is shown to staff only (fail closed), like an unknown visibility.</summary>
    private static bool MaySee(ProcessVisibilityCopy? audience, string? phaseVisibility, bool staff, Guid person) =>
        audience?.MaySee(phaseVisibility, staff, person) ?? ProcessVisibilities.MaySee(ProcessVisibilities.Internal, phaseVisibility, staff, person, []);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
