using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Time;

namespace Mitreden.Comments.Api.Features.Shared;

/// <summary>The caller's standing: refused (blocked or deleted account) or allowed, with the name to show.</summary>
internal sealed record Participant(Guid UserId, string DisplayName, ProblemHttpResult? Refusal);

internal static class Participation
{
    public const string UnknownName = "Unbekannt";

    /// <summary>
    /// Blocked users (from Identity's UserBlocked events, or a <c>blocked_until</c> claim in the token) may not
    /// post, edit, up-vote or report; a deleted account may do nothing even while its last token is still valid
    /// (the rule is <see cref="AccountStanding"/>'s, shared with the other services).
    /// </summary>
    public static async Task<Participant> CheckAsync(CommentsDb db, HttpContext http, DateTimeOffset now, CancellationToken ct)
    {
        var user = http.User;
        var userId = user.UserId();
        var copy = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserId == userId, ct);
        var name = Comment.Clamp(copy?.DisplayName ?? user.DisplayName(), Comment.MaxNameLength) is { Length: > 0 } n ? n : UnknownName;
        var state = copy is null ? null : new AccountState(copy.DeletedAt, copy.BlockedUntil, copy.BlockAsOf);
        switch (AccountStanding.Evaluate(state, user, now))
        {
            case { Deleted: true }:
                return new Participant(userId, name, Problems.Forbidden("Dieses Konto wurde gelöscht.", "account-deleted"));
            case { BlockedUntil: { } end }:
                return new Participant(userId, name, Problems.Forbidden($"Ihr Konto ist bis {CityTime.FormatGerman(end)} gesperrt. Bis dahin können Sie keine Beiträge schreiben, bearbeiten, unterstützen oder melden.",
                    "user-blocked",
                    new Dictionary<string, object?> { ["blockedUntil"] = end }));
        }
        return new Participant(userId, name, null);
    }
}
