using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Proposals.Api.Features.Processes;

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

    public static async Task<Process?> FindVisibleAsync(this ProposalsDb db, Guid processId, ClaimsPrincipal user, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        return process is not null && await db.CanSeeAsync(user, process, ct) ? process : null;
    }
}
