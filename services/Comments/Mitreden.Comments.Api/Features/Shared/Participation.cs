using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Comments.Api.Features.Shared;

/// <summary>The caller's standing: refused (blocked or deleted account) or allowed, with the name to show.</summary>
internal sealed record Participant(Guid UserId, string DisplayName, ProblemHttpResult? Refusal);

internal static class Participation
{
    public const string BlockedUntilClaim = "blocked_until";
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
        var token = TokenPayload.Read(http);
        if (token.BlockedUntil is { } claimed && claimed > now && (until is null || claimed > until)
            // An unblock we heard of after the token was issued beats the claim in it.
            && !(copy is { BlockedUntil: null, BlockAsOf: { } unblockedAt } && token.IssuedAt is { } iat && unblockedAt > iat))
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

/// <summary>
/// Claims the shared token validator does not put on the principal (blocked_until, iat), read from the bearer
/// token that the authentication handler has already validated for this request.
/// </summary>
internal readonly record struct TokenPayload(DateTimeOffset? BlockedUntil, DateTimeOffset? IssuedAt)
{
    public static TokenPayload Read(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return default;
        }
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return default;
        }
        var parts = header["Bearer ".Length..].Trim().Split('.');
        if (parts.Length != 3)
        {
            return default;
        }
        try
        {
            using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return new TokenPayload(Seconds(json.RootElement, Participation.BlockedUntilClaim), Seconds(json.RootElement, "iat"));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return default;
        }
    }

    private static DateTimeOffset? Seconds(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value))
        {
            return null;
        }
        long seconds;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
        {
            seconds = n;
        }
        else if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d))
        {
            seconds = (long)d;
        }
        else if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s))
        {
            seconds = s;
        }
        else
        {
            return null;
        }
        return seconds is >= -62_135_596_800 and <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }
}
