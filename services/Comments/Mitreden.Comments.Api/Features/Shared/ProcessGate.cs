using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Comments.Api.Features.Shared;

/// <summary>
/// Whether the caller may see a process's comments at all, or those on an item of a phase, by Proposals' rule
/// (<see cref="ProcessVisibilityCopy.MaySee(string?, bool, Guid?)"/>) on our copies. Those who may not get 404
/// everywhere, as if the comments did not exist.
/// </summary>
internal static class ProcessGate
{
    /// <summary>An item we do not know has no comments to hide.</summary>
    public static async Task<bool> MaySeeItemAsync(this CommentsDb db, Guid itemId, ClaimsPrincipal user, CancellationToken ct)
    {
        var item = await db.Items.AsNoTracking().Where(i => i.ItemId == itemId).Select(i => new { i.ProcessId, i.PhaseId }).FirstOrDefaultAsync(ct);
        return item is null || await db.MaySeeAsync(item.ProcessId, item.PhaseId, user, ct);
    }

    /// <summary>A comment is seen where its item is: by its process and, once we know it, its item's phase.</summary>
    public static async Task<bool> MaySeeCommentAsync(this CommentsDb db, Comment comment, ClaimsPrincipal user, CancellationToken ct)
    {
        var phaseId = await db.Items.AsNoTracking().Where(i => i.ItemId == comment.ItemId).Select(i => i.PhaseId).FirstOrDefaultAsync(ct);
        return await db.MaySeeAsync(comment.ProcessId, phaseId, user, ct);
    }

    private static async Task<bool> MaySeeAsync(this CommentsDb db, Guid processId, Guid? phaseId, ClaimsPrincipal user, CancellationToken ct)
    {
        var copy = await db.ProcessVisibility.AsNoTracking().FirstOrDefaultAsync(p => p.ProcessId == processId, ct);
        var phaseVisibility = phaseId is { } id
            ? await db.Phases.AsNoTracking().Where(p => p.PhaseId == id).Select(p => p.Visibility).FirstOrDefaultAsync(ct)
            : null;
        return ProcessVisibilityCopy.MaySee(copy, phaseVisibility,
            user.Identity?.IsAuthenticated == true && user.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin),
            user.TryGetUserId(out var me) ? me : null);
    }
}
