using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Comments.Api.Features.Shared;

/// <summary>
/// Whether the caller may see a process's comments at all, by Proposals' rule (<see cref="ProcessVisibilities.MaySee"/>)
/// on our copy. Those who may not get 404 everywhere, as if the comments did not exist.
/// </summary>
internal static class ProcessGate
{
    public static async Task<bool> MaySeeProcessAsync(this CommentsDb db, Guid processId, ClaimsPrincipal user, CancellationToken ct)
    {
        var copy = await db.ProcessVisibility.AsNoTracking().FirstOrDefaultAsync(p => p.ProcessId == processId, ct);
        return ProcessVisibilityCopy.MaySee(copy, null,
            user.Identity?.IsAuthenticated == true && user.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin),
            user.TryGetUserId(out var me) ? me : null);
    }

    /// <summary>An item we do not know has no comments to hide.</summary>
    public static async Task<bool> MaySeeItemAsync(this CommentsDb db, Guid itemId, ClaimsPrincipal user, CancellationToken ct)
    {
        var processId = await db.Items.AsNoTracking().Where(i => i.ItemId == itemId).Select(i => (Guid?)i.ProcessId).FirstOrDefaultAsync(ct);
        return processId is null || await db.MaySeeProcessAsync(processId.Value, user, ct);
    }
}
