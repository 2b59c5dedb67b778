using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Comments.Api.Features.Shared;

/// <summary>The caller's standing: refused (blocked or deleted account) or allowed, with the name to show.</summary>
internal sealed record Participant(Guid UserId, string DisplayName, ProblemHttpResult? Refusal);

internal static class Participation
{
    public const string UnknownName = "Unbekannt";

    /// <summary>
    /// Blocked users (from Identity's UserBlocked events, or a <c>blocked_until</c> claim in the token) may not
    /// post, edit, up-vote or report; a deleted account may do nothing even while its last token is still valid.
    /// </summary>
    public static async Task<Participant> CheckAsync(CommentsDb db, HttpContext http, DateTimeOffset now, CancellationToken ct)
    {
        var user = http.User;
        var userId = user.UserId();
        var copy = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserId == userId, ct);
        var name = Comment.Clamp(copy?.DisplayName ?? user.DisplayName(), Comment.MaxNameLength) is { Length: > 0 } n ? n : UnknownName;
        if (copy?.DeletedAt is not null)
        {
            return new Participant(userId, name, Problems.Forbidden("account-deleted", "Dieses Konto wurde gelöscht."));
        }

        DateTimeOffset? until = copy?.BlockedUntil is { } b && b > now ? b : null;
        if (user.BlockedUntil(now) is { } claimed && (until is null || claimed > until)
            // An unblock we heard of after the token was issued beats the claim in it.
            && !(copy is { BlockedUntil: null, BlockAsOf: { } unblockedAt } && user.IssuedAt() is { } iat && unblockedAt > iat))
        {
            until = claimed;
        }

        if (until is { } end)
        {
            return new Participant(userId, name, Problems.Forbidden("user-blocked",
                $"Ihr Konto ist bis {FormatGerman(end)} gesperrt. Bis dahin können Sie keine Beiträge schreiben, bearbeiten, unterstützen oder melden.",
                new Dictionary<string, object?> { ["blockedUntil"] = end }));
        }
        return new Participant(userId, name, null);
    }

    internal static string FormatGerman(DateTimeOffset value)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        }
        catch (TimeZoneNotFoundException)
        {
            return value.UtcDateTime.ToString("dd.MM.yyyy HH:mm 'Uhr (UTC)'", CultureInfo.InvariantCulture);
        }
        return TimeZoneInfo.ConvertTime(value, zone).ToString("dd.MM.yyyy HH:mm 'Uhr'", CultureInfo.InvariantCulture);
    }
}
