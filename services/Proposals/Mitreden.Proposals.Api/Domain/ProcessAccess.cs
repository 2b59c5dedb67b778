using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Domain;

/// <summary>
/// Who may see a process and everything in it (phases, items, events, documents, news, monitoring): staff always;
/// everyone else only published or archived processes that are public, or members-only with the caller among the
/// members. Everyone else gets "not found", not "forbidden", so an internal process does not reveal that it exists.
/// </summary>
internal static class ProcessAccess
{
    public static IQueryable<Process> VisibleTo(this IQueryable<Process> processes, ProposalsDb db, ClaimsPrincipal user)
    {
        if (user.IsStaff())
        {
            return processes;
        }
        var published = processes.Where(p => p.Status != ProcessStatus.Draft);
        if (user.OptionalUserId() is not { } me)
        {
            return published.Where(p => p.Visibility == ProcessVisibilities.Public);
        }
        return published.Where(p => p.Visibility == ProcessVisibilities.Public
            || (p.Visibility == ProcessVisibilities.Members && db.ProcessMembers.Any(m => m.ProcessId == p.Id && m.AccountId == me)));
    }

    public static async Task<bool> CanSeeAsync(this ProposalsDb db, ClaimsPrincipal user, Process process, CancellationToken ct)
    {
        if (user.IsStaff())
        {
            return true;
        }
        if (!process.IsPublic)
        {
            return false;
        }
        var me = user.OptionalUserId();
        var member = process.Visibility == ProcessVisibilities.Members && me is { } id
            && await db.ProcessMembers.AnyAsync(m => m.ProcessId == process.Id && m.AccountId == id, ct);
        return ProcessVisibilities.MaySee(process.Visibility, false, me, member && me is { } self ? [self] : []);
    }

    /// <summary>
    /// Phases the caller may not see although they may see the process (staff made the phase internal, or members-only
    /// and the caller is not a member): everything belonging to them — the phase itself, its events and documents —
    /// is left out of lists and answers "not found". The stricter of process and phase wins
    /// (<see cref="ProcessVisibilities.MaySee(string, string?, bool, Guid?, IReadOnlyCollection{Guid})"/>); this is the
    /// same rule as a query, usable as a sub-query in any list. An unknown value hides the phase (fail closed).
    /// </summary>
    public static IQueryable<Guid> HiddenPhaseIds(this ProposalsDb db, ClaimsPrincipal user)
    {
        if (user.IsStaff())
        {
            return db.Phases.Where(p => false).Select(p => p.Id);
        }
        var restricted = db.Phases.Where(p => p.Visibility != ProcessVisibilities.Public);
        if (user.OptionalUserId() is not { } me)
        {
            return restricted.Select(p => p.Id);
        }
        return restricted
            .Where(p => p.Visibility != ProcessVisibilities.Members || !db.ProcessMembers.Any(m => m.ProcessId == p.ProcessId && m.AccountId == me))
            .Select(p => p.Id);
    }

    /// <summary>Items the caller may see, as far as their phase goes (the process is checked by the caller).</summary>
    public static IQueryable<Item> VisibleTo(this IQueryable<Item> items, ProposalsDb db, ClaimsPrincipal user)
    {
        var hidden = db.HiddenPhaseIds(user);
        return items.Where(i => i.PhaseId == null || !hidden.Contains(i.PhaseId.Value));
    }

    /// <summary>Events the caller may see, as far as their phase goes (the process is checked by the caller).</summary>
    public static IQueryable<EventRow> VisibleTo(this IQueryable<EventRow> events, ProposalsDb db, ClaimsPrincipal user)
    {
        var hidden = db.HiddenPhaseIds(user);
        return events.Where(e => e.PhaseId == null || !hidden.Contains(e.PhaseId.Value));
    }

    /// <summary>Documents the caller may see, as far as their phase goes, directly or through the event or item they belong to.</summary>
    public static IQueryable<DocumentRow> VisibleTo(this IQueryable<DocumentRow> documents, ProposalsDb db, ClaimsPrincipal user)
    {
        var hidden = db.HiddenPhaseIds(user);
        return documents.Where(d => (d.PhaseId == null || !hidden.Contains(d.PhaseId.Value))
            && (d.EventId == null || !db.Events.Any(e => e.Id == d.EventId && e.PhaseId != null && hidden.Contains(e.PhaseId.Value)))
            && (d.ItemId == null || !db.Items.Any(i => i.Id == d.ItemId && i.PhaseId != null && hidden.Contains(i.PhaseId.Value))));
    }

    /// <summary>Whether the caller may see the phase (null: nothing tied to a phase).</summary>
    public static async Task<bool> CanSeePhaseAsync(this ProposalsDb db, ClaimsPrincipal user, Guid? phaseId, CancellationToken ct) =>
        phaseId is not { } id || !await db.HiddenPhaseIds(user).AnyAsync(p => p == id, ct);

    public static async Task<Process?> FindVisibleAsync(this ProposalsDb db, Guid processId, ClaimsPrincipal user, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        return process is not null && await db.CanSeeAsync(user, process, ct) ? process : null;
    }
}
