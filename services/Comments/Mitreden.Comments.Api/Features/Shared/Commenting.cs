using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using Mitreden.Comments.Api.Data;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Comments.Api.Features.Shared;

/// <summary>Whether an item can be commented on now, from our copy of Proposals' items and phases.</summary>
/// <param name="UnconfirmedAccountsMayComment">The process lets accounts without a confirmed email address comment (default: no).</param>
public sealed record CommentingState(bool ItemKnown, Guid? ProcessId, bool Open, bool PreModeration, bool UnconfirmedAccountsMayComment);

internal static class Commenting
{
    /// <summary>Tolerance for clocks of different machines when a phase has only just started.</summary>
    private static readonly TimeSpan StartSkew = TimeSpan.FromMinutes(1);

    public static async Task<CommentingState> GetStateAsync(CommentsDb db, Guid itemId, DateTimeOffset now, CancellationToken ct)
    {
        var processId = await db.Items.AsNoTracking().Where(i => i.ItemId == itemId)
            .Select(i => (Guid?)i.ProcessId).FirstOrDefaultAsync(ct);
        if (processId is null)
        {
            return new CommentingState(false, null, false, false, false);
        }
        var startedBy = now + StartSkew;
        // Any running phase with commenting on opens the process; if one of them pre-moderates, comments wait.
        var running = await db.Phases.AsNoTracking()
            .Where(p => p.ProcessId == processId && p.Commenting && p.EndedAt == null
                && (p.StartedAt == null || p.StartedAt <= startedBy)
                && (p.EndsAt == null || p.EndsAt > now))
            .Select(p => p.PreModeration)
            .ToListAsync(ct);
        var unconfirmedMayComment = await db.ProcessRules.AsNoTracking().Where(r => r.ProcessId == processId)
            .Select(r => r.UnconfirmedAccountsMayComment).FirstOrDefaultAsync(ct);
        return new CommentingState(true, processId, running.Count > 0, running.Any(pre => pre), unconfirmedMayComment);
    }

    /// <summary>Whether this caller must confirm their email address before commenting here.</summary>
    public static bool NeedsConfirmedEmail(CommentingState state, ClaimsPrincipal user) =>
        !state.UnconfirmedAccountsMayComment && user.Identity?.IsAuthenticated == true && !user.EmailConfirmed();

    /// <summary>The 403 for an account whose email address is not confirmed, in a process that requires it.</summary>
    public static ProblemHttpResult EmailUnconfirmed() =>
        Problems.Forbidden("Bestätigen Sie Ihre E-Mail-Adresse, um zu kommentieren.", EmailUnconfirmedCode);

    public const string EmailUnconfirmedCode = "email-unconfirmed";

    /// <summary>The 409 for a closed item, or null when commenting is open.</summary>
    public static ProblemHttpResult? RefusalFor(CommentingState state) =>
        !state.ItemKnown
            ? Problems.Conflict("Zu diesem Inhalt kann nicht kommentiert werden: Er ist (noch) nicht veröffentlicht.",
                "item-unknown")
            : !state.Open
                ? Problems.Conflict("Die Kommentarfunktion ist für diesen Beteiligungsprozess gerade geschlossen: Keine laufende Phase erlaubt Kommentare.",
                    "commenting-closed")
                : null;
}
