using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;

namespace Mitreden.Proposals.Api.Features.Processes;

internal static class ProcessAccess
{
    /// <summary>Drafts exist only for staff: everyone else gets "not found", not "forbidden".</summary>
    public static bool CanSee(this ClaimsPrincipal user, Process process) => process.IsPublic || user.IsStaff();

    public static IQueryable<Process> VisibleTo(this IQueryable<Process> processes, ClaimsPrincipal user) =>
        user.IsStaff() ? processes : processes.Where(p => p.Status != ProcessStatus.Draft);

    public static async Task<Process?> FindVisibleAsync(this ProposalsDb db, Guid processId, ClaimsPrincipal user, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        return process is not null && user.CanSee(process) ? process : null;
    }
}
