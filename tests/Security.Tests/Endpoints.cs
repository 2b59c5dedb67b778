using static Mitreden.Security.Tests.Who;

namespace Mitreden.Security.Tests;

/// <summary>
/// One row of the authorization matrix: an endpoint as the gateway exposes it (the key matches the services' OpenAPI
/// documents), who may call it, and how to call it so that the answer shows the decision and changes nothing that other
/// rows rely on. "Allowed" means the answer is neither 401 nor 403; everyone else must get 401 (anonymous) or 403.
/// </summary>
/// <param name="Path">Concrete path; null = the template with the shared world's ids (see <see cref="Endpoints.Resolve"/>).</param>
/// <param name="Body">JSON body; null = "{}" when the operation takes a body (a well-formed request that fails validation
/// after the authorization decision), none otherwise.</param>
/// <param name="Scenario">Tells several rows of one endpoint apart (e.g. votes in ballots with different eligibility).</param>
/// <param name="DenyOnly">Only the callers expected to be denied are sent (the allowed call would change shared state).</param>
/// <param name="AnonymousDenial">403 where an anonymous caller may ask and the service refuses on content (hidden results).</param>
public sealed record Expectation(
    string Service, string Method, string Template, Who[] Allowed,
    Func<World, string>? Path = null, Func<World, object>? Body = null, string Scenario = "",
    bool DenyOnly = false, int AnonymousDenial = 401)
{
    public string Key => $"{Method} /api/{Service}{Template}";

    public override string ToString() => Scenario.Length > 0 ? $"{Key} [{Scenario}]" : Key;
}

/// <summary>
/// The expected authorization table, reviewed against PRODUCT.md: citizens read, propose, comment and vote; moderators
/// review comments and block users; city staff set up processes, phases and ballots, import, close and export; admins
/// can do what staff can. A blocked user still signs in and reads, but may not post (comments, reports, up-votes,
/// ideas) or vote until the block ends. Holders of a voting code have no account: they may only vote in their group's ballot and read.
/// </summary>
public static class Endpoints
{
    public static readonly Who[] Everyone = [Anonymous, Citizen, Unverified, OtherDistrict, Moderator, Staff, Admin, Blocked, CodeVoter];
    public static readonly Who[] Accounts = [Citizen, Unverified, OtherDistrict, Moderator, Staff, Admin, Blocked];
    public static readonly Who[] Voters = [.. Accounts, CodeVoter];
    public static readonly Who[] Moderators = [Moderator, Staff, Admin];
    public static readonly Who[] StaffOnly = [Staff, Admin];
    public static readonly Who[] Nobody = [];
    /// <summary>Accounts that may post: every account except the blocked one.</summary>
    public static readonly Who[] Posters = [Citizen, Unverified, OtherDistrict, Moderator, Staff, Admin];
    /// <summary>Who may write a comment in a process with the default rules: posters with a confirmed email address.</summary>
    public static readonly Who[] CommentWriters = [Citizen, OtherDistrict, Moderator, Staff, Admin];

    private static string Unknown() => Guid.NewGuid().ToString();

    public static readonly Expectation[] All =
    [
        // ---------------- identity ----------------
        new("identity", "GET", "/.well-known/openid-configuration", Everyone),
        new("identity", "GET", "/.well-known/jwks.json", Everyone),
        new("identity", "POST", "/connect/token", Everyone),
        new("identity", "POST", "/account/register", Everyone),
        new("identity", "POST", "/account/confirm-email", Everyone),
        new("identity", "POST", "/account/confirm-email/resend", Everyone),
        new("identity", "POST", "/account/password-reset", Everyone),
        new("identity", "POST", "/account/password-reset/confirm", Everyone),
        new("identity", "GET", "/account/me", Accounts),
        new("identity", "PUT", "/account/me", Accounts),
        new("identity", "DELETE", "/account/me", Accounts), // "{}" lacks the password: 400, nothing deleted
        new("identity", "GET", "/account/me/export", Accounts),
        new("identity", "GET", "/account/me/follows", Accounts),
        new("identity", "GET", "/account/me/follows/{processId}", Accounts), // the shared world's public process
        new("identity", "PUT", "/account/me/follows/{processId}", Accounts, Path: _ => $"/account/me/follows/{Unknown()}"), // unknown: 404
        new("identity", "DELETE", "/account/me/follows/{processId}", Accounts, Path: _ => $"/account/me/follows/{Unknown()}"), // unknown: 404
        new("identity", "GET", "/account/me/notification-settings", Accounts),
        new("identity", "PUT", "/account/me/notification-settings", Accounts), // "{}": 422, nothing stored
        new("identity", "GET", "/notifications/unsubscribe", Everyone), // no token: 400
        new("identity", "POST", "/notifications/unsubscribe", Everyone), // no token: 400
        new("identity", "POST", "/verification/letter-codes/redeem", Accounts),
        new("identity", "POST", "/admin/letter-code-batches", StaffOnly),
        new("identity", "GET", "/admin/letter-code-batches", StaffOnly),
        new("identity", "POST", "/admin/voting-code-groups", StaffOnly),
        new("identity", "GET", "/admin/voting-code-groups", StaffOnly),
        new("identity", "GET", "/admin/audit", StaffOnly),
        new("identity", "POST", "/admin/test-voters", StaffOnly),
        new("identity", "GET", "/admin/users", StaffOnly),
        new("identity", "GET", "/admin/users/{id}", StaffOnly),
        new("identity", "PUT", "/admin/users/{id}/roles/{role}", StaffOnly),
        new("identity", "DELETE", "/admin/users/{id}/roles/{role}", StaffOnly),
        new("identity", "POST", "/admin/users/{id}/block", Moderators),
        new("identity", "DELETE", "/admin/users/{id}/block", Moderators), // the citizen is not blocked: a no-op
        new("identity", "GET", "/admin/blocks", Moderators),

        // ---------------- proposals ----------------
        new("proposals", "GET", "/me/export", Accounts),
        new("proposals", "GET", "/processes", Everyone),
        new("proposals", "GET", "/processes/{processId}", Everyone),
        new("proposals", "POST", "/processes", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}", StaffOnly),
        new("proposals", "POST", "/processes/{processId}/publish", StaffOnly), // already published: 409
        // Visibility and members: staff only. "{}" names no visibility (400), so the world's process stays public; an unknown
        // account added to or removed from the public world process changes what nobody sees.
        new("proposals", "GET", "/processes/{processId}/visibility", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/visibility", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/members/{accountId}", StaffOnly, Path: w => $"/processes/{w.ProcessId}/members/{Unknown()}"),
        new("proposals", "DELETE", "/processes/{processId}/members/{accountId}", StaffOnly, Path: w => $"/processes/{w.ProcessId}/members/{Unknown()}"),
        new("proposals", "POST", "/processes/{processId}/archive", StaffOnly, Path: _ => $"/processes/{Unknown()}/archive"),
        new("proposals", "GET", "/processes/{processId}/phases", Everyone),
        new("proposals", "GET", "/processes/{processId}/phases/{phaseId}", Everyone),
        new("proposals", "POST", "/processes/{processId}/phases", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/phases/{phaseId}", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/phases/{phaseId}/switches", StaffOnly),
        // Phase visibility: staff only; "{}" names no visibility (400), so the world's phase stays public.
        new("proposals", "GET", "/processes/{processId}/phases/{phaseId}/visibility", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/phases/{phaseId}/visibility", StaffOnly),
        new("proposals", "DELETE", "/processes/{processId}/phases/{phaseId}", StaffOnly, Path: w => $"/processes/{w.ProcessId}/phases/{Unknown()}"),
        new("proposals", "GET", "/processes/{processId}/fields-of-action", Everyone),
        new("proposals", "POST", "/processes/{processId}/fields-of-action", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/fields-of-action/{id}", StaffOnly),
        // An unknown id: the allowed callers get 404, and the world's field stays.
        new("proposals", "DELETE", "/processes/{processId}/fields-of-action/{id}", StaffOnly,
            Path: w => $"/processes/{w.ProcessId}/fields-of-action/{Unknown()}"),
        new("proposals", "GET", "/processes/{processId}/themes", Everyone),
        new("proposals", "POST", "/processes/{processId}/themes", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/themes/{id}", StaffOnly),
        new("proposals", "DELETE", "/processes/{processId}/themes/{id}", StaffOnly,
            Path: w => $"/processes/{w.ProcessId}/themes/{Unknown()}"),
        new("proposals", "GET", "/districts", Everyone),
        new("proposals", "POST", "/districts", StaffOnly),
        new("proposals", "GET", "/processes/{processId}/items", Everyone),
        // A real citizen idea: every account may propose, except a blocked one; staff get 422 (staff items are official).
        new("proposals", "POST", "/processes/{processId}/items", Posters,
            Body: _ => new { title = "Idee aus dem Sicherheitstest", description = "Mehr Sitzbänke am Marktplatz." }),
        new("proposals", "GET", "/items/{itemId}", Everyone),
        // A real edit of an official measure: only staff (citizens edit only their own ideas).
        new("proposals", "PUT", "/items/{itemId}", StaffOnly, Path: w => $"/items/{w.SecondItemId}",
            Body: _ => new { title = "Mehr Bäume am Markt", description = "Eine Maßnahme für die Sicherheitstests." }),
        new("proposals", "PUT", "/items/{itemId}/status", StaffOnly),
        new("proposals", "PUT", "/items/{itemId}/monitoring", StaffOnly),
        new("proposals", "POST", "/processes/{processId}/items/import", StaffOnly),
        new("proposals", "GET", "/processes/{processId}/monitoring", Everyone),
        new("proposals", "GET", "/processes/{processId}/monitoring/report", Everyone),
        new("proposals", "GET", "/processes/{processId}/news", Everyone),
        // Unknown posts: the decision shows (404 after authorization) and no post of another row is changed.
        new("proposals", "GET", "/processes/{processId}/news/{postId}", Everyone),
        new("proposals", "POST", "/processes/{processId}/news", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/news/{postId}", StaffOnly,
            Body: _ => new { title = "Neuigkeit", body = "Text aus dem Sicherheitstest." }),
        new("proposals", "DELETE", "/processes/{processId}/news/{postId}", StaffOnly),
        new("proposals", "GET", "/processes/{processId}/documents", Everyone),
        new("proposals", "GET", "/processes/{processId}/documents/{documentId}/content", Everyone),
        // Not multipart: 415 after the authorization decision, nothing stored.
        new("proposals", "POST", "/processes/{processId}/documents", StaffOnly),
        new("proposals", "DELETE", "/processes/{processId}/documents/{documentId}", StaffOnly),
        new("proposals", "GET", "/processes/{processId}/events", Everyone),
        new("proposals", "GET", "/processes/{processId}/events/calendar", Everyone),
        new("proposals", "GET", "/processes/{processId}/map", Everyone),
        // Unknown events: the decision shows (404 after authorization) and no event or registration of another row changes.
        new("proposals", "GET", "/processes/{processId}/events/{eventId}", Everyone),
        new("proposals", "GET", "/processes/{processId}/events/{eventId}/calendar", Everyone),
        new("proposals", "POST", "/processes/{processId}/events", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/events/{eventId}", StaffOnly,
            Body: _ => new { title = "Veranstaltung", startsAt = DateTimeOffset.UtcNow.AddDays(3), endsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(2), place = "Rathaus" }),
        new("proposals", "POST", "/processes/{processId}/events/{eventId}/cancel", StaffOnly),
        new("proposals", "PUT", "/processes/{processId}/events/{eventId}/minutes", StaffOnly, Body: _ => new { minutes = "Protokoll" }),
        new("proposals", "DELETE", "/processes/{processId}/events/{eventId}", StaffOnly),
        // Registering writes: a blocked account is refused like every write until its block ends. Code voters have no account.
        new("proposals", "POST", "/processes/{processId}/events/{eventId}/registration", Posters),
        new("proposals", "DELETE", "/processes/{processId}/events/{eventId}/registration", Posters),
        new("proposals", "GET", "/processes/{processId}/events/{eventId}/registrations", StaffOnly),
        new("proposals", "GET", "/processes/{processId}/events/{eventId}/registrations/csv", StaffOnly),
        new("proposals", "GET", "/me/event-registrations", Accounts),

        // ---------------- comments ----------------
        new("comments", "GET", "/items/{itemId}/comments", Everyone),
        new("comments", "GET", "/items/{itemId}/commenting", Everyone),
        new("comments", "GET", "/comments/{id}", Everyone),
        new("comments", "GET", "/comments/{id}/replies", Everyone),
        new("comments", "GET", "/me/comments", Accounts),
        new("comments", "GET", "/me/export", Accounts),
        new("comments", "GET", "/moderator/comments/{id}", Moderators),
        new("comments", "POST", "/items/{itemId}/comments", CommentWriters,
            Body: _ => new { text = "Ein Beitrag aus der Berechtigungsmatrix.", stance = "pro" }),
        // Only the author edits or deletes (moderators hide through Moderation instead).
        new("comments", "PUT", "/comments/{id}", [Citizen], Path: w => $"/comments/{w.EditCommentId}",
            Body: _ => new { text = "Ein Kommentar, von seiner Verfasserin bearbeitet." }),
        new("comments", "DELETE", "/comments/{id}", [Citizen], Path: w => $"/comments/{w.DeleteCommentId}"),
        new("comments", "POST", "/comments/{id}/reports", Posters, Path: w => $"/comments/{w.ReportCommentId}/reports",
            Body: _ => new { reason = "spam", note = "Matrix" }),
        new("comments", "POST", "/comments/{id}/upvote", Posters, Path: w => $"/comments/{w.ReportCommentId}/upvote"),
        // Withdrawing one's own up-vote removes data of one's own, it is not posting: a blocked user may.
        new("comments", "DELETE", "/comments/{id}/upvote", Accounts, Path: w => $"/comments/{w.ReportCommentId}/upvote"),

        // ---------------- voting ----------------
        new("voting", "GET", "/me/export", Accounts),
        new("voting", "GET", "/noop", Everyone),
        new("voting", "GET", "/ballots", Everyone),
        new("voting", "GET", "/ballots/{id}", Everyone),
        new("voting", "POST", "/ballots", StaffOnly),
        new("voting", "PUT", "/ballots/{id}", StaffOnly),
        new("voting", "POST", "/ballots/{id}/open", StaffOnly), // already open: 409
        new("voting", "POST", "/ballots/{id}/extend", StaffOnly),
        new("voting", "POST", "/ballots/{id}/close", StaffOnly, Path: _ => $"/ballots/{Unknown()}/close"),
        new("voting", "POST", "/ballots/{id}/recount", StaffOnly, Path: _ => $"/ballots/{Unknown()}/recount"),
        new("voting", "GET", "/ballots/{id}/recounts", StaffOnly),
        new("voting", "POST", "/ballots/{id}/in-person-results", StaffOnly),
        new("voting", "GET", "/ballots/{id}/in-person-results", StaffOnly),
        new("voting", "GET", "/ballots/{id}/exports/{kind}", StaffOnly, Path: w => $"/ballots/{w.LiveBallotId}/exports/tally", Scenario: "live ballot"),
        new("voting", "GET", "/ballots/{id}/results", Everyone, Path: w => $"/ballots/{w.LiveBallotId}/results", Scenario: "live ballot"),
        new("voting", "GET", "/ballots/{id}/results", Nobody, Scenario: "hidden until close", AnonymousDenial: 403),
        new("voting", "GET", "/ballots/{id}/results/stream", Everyone, Path: w => $"/ballots/{w.LiveBallotId}/results/stream", Scenario: "live ballot"),
        new("voting", "GET", "/ballots/{id}/results/stream", Nobody, Scenario: "hidden until close", AnonymousDenial: 403),
        new("voting", "GET", "/ballots/{id}/results/versions", Everyone, Path: w => $"/ballots/{w.LiveBallotId}/results/versions", Scenario: "live ballot"),
        new("voting", "GET", "/ballots/{id}/results/versions", Nobody, Scenario: "hidden until close", AnonymousDenial: 403),
        new("voting", "GET", "/ballots/{id}/results/versions/{version}", Everyone, Path: w => $"/ballots/{w.LiveBallotId}/results/versions/1", Scenario: "live ballot"),
        new("voting", "GET", "/ballots/{id}/results/versions/{version}", Nobody, Path: w => $"/ballots/{w.BallotId}/results/versions/1",
            Scenario: "hidden until close", AnonymousDenial: 403),
        // "{}" lacks reason and numbers: staff get 422 before anything changes.
        new("voting", "POST", "/ballots/{id}/results/corrections", StaffOnly),
        new("voting", "GET", "/ballots/{id}/results/corrections", StaffOnly),
        // "{}" is a well-formed vote request: eligibility is decided first, then the missing selection is a 400.
        new("voting", "POST", "/ballots/{id}/votes", [Citizen, OtherDistrict, Moderator, Staff, Admin], Scenario: "verified accounts"),
        new("voting", "POST", "/ballots/{id}/votes", Nobody, Path: w => $"/ballots/{w.DistrictBallotId}/votes", Scenario: "residents of mitte"),
        new("voting", "POST", "/ballots/{id}/votes", [CodeVoter], Path: w => $"/ballots/{w.GroupBallotId}/votes", Scenario: "voting-code group"),
        new("voting", "GET", "/ballots/{id}/votes/me", Voters),
        new("voting", "GET", "/ballots/{id}/eligibility/me", Voters),
        new("voting", "GET", "/ballots/{id}/receipts/{hash}", Everyone),
        // Surveys: read by whoever may see the phase; staff set them up, see results at any time and export; eligible
        // accounts answer ("{}" is a well-formed submission: eligibility first, then the missing answers are a 422, nothing stored).
        new("voting", "GET", "/surveys", Everyone),
        new("voting", "GET", "/surveys/{id}", Everyone),
        new("voting", "POST", "/surveys", StaffOnly),
        new("voting", "PUT", "/surveys/{id}", StaffOnly), // open: 409
        new("voting", "POST", "/surveys/{id}/open", StaffOnly), // already open: 409
        new("voting", "POST", "/surveys/{id}/close", StaffOnly, Path: _ => $"/surveys/{Unknown()}/close"),
        new("voting", "GET", "/surveys/{id}/export", StaffOnly),
        new("voting", "POST", "/surveys/{id}/answers", [Citizen, OtherDistrict, Moderator, Staff, Admin], Scenario: "verified accounts"),
        new("voting", "GET", "/surveys/{id}/answers/me", Voters),
        new("voting", "GET", "/surveys/{id}/results", StaffOnly, AnonymousDenial: 403), // open survey: staff only (public after close if configured)

        // ---------------- moderation ----------------
        new("moderation", "GET", "/me/export", Accounts),
        new("moderation", "GET", "/queue", Moderators),
        new("moderation", "GET", "/processes/{processId}/queue", Moderators),
        new("moderation", "GET", "/comments/{commentId}", Moderators),
        new("moderation", "POST", "/queue/{commentId}/decision", Moderators),
        new("moderation", "POST", "/comments/{commentId}/decisions", Moderators),
        new("moderation", "GET", "/metrics/summary", Moderators),
        new("moderation", "GET", "/audit", StaffOnly),
        new("moderation", "GET", "/audit/entries", Moderators),
        new("moderation", "GET", "/screening-rules", Moderators),
        new("moderation", "PUT", "/screening-rules", StaffOnly),
        new("moderation", "DELETE", "/screening-rules", StaffOnly, DenyOnly: true),
        new("moderation", "GET", "/processes/{processId}/screening-rules", Moderators),
        new("moderation", "PUT", "/processes/{processId}/screening-rules", StaffOnly),
        new("moderation", "DELETE", "/processes/{processId}/screening-rules", StaffOnly),
    ];

    /// <summary>The template with the shared world's ids: parameters named after what they point at.</summary>
    public static string Resolve(Expectation row, World w)
    {
        if (row.Path is { } path)
        {
            return "/api/" + row.Service + path(w);
        }
        var t = row.Template
            .Replace("{processId}", w.ProcessId.ToString(), StringComparison.Ordinal)
            .Replace("{phaseId}", w.PhaseId.ToString(), StringComparison.Ordinal)
            .Replace("{itemId}", w.ItemId.ToString(), StringComparison.Ordinal)
            .Replace("{commentId}", w.CommentId.ToString(), StringComparison.Ordinal)
            .Replace("{hash}", w.ReceiptHash, StringComparison.Ordinal)
            .Replace("{kind}", "tally", StringComparison.Ordinal)
            .Replace("{version}", "1", StringComparison.Ordinal)
            .Replace("{role}", "no-such-role", StringComparison.Ordinal)
            .Replace("{postId}", Unknown(), StringComparison.Ordinal)
            .Replace("{documentId}", Unknown(), StringComparison.Ordinal)
            .Replace("{eventId}", Unknown(), StringComparison.Ordinal)
            .Replace("{accountId}", Unknown(), StringComparison.Ordinal)
            .Replace("/admin/users/{id}", $"/admin/users/{w.UserIds[Citizen]}", StringComparison.Ordinal)
            .Replace("/fields-of-action/{id}", $"/fields-of-action/{w.FieldId}", StringComparison.Ordinal)
            .Replace("/themes/{id}", $"/themes/{w.ThemeId}", StringComparison.Ordinal)
            .Replace("/comments/{id}", $"/comments/{w.CommentId}", StringComparison.Ordinal)
            .Replace("/ballots/{id}", $"/ballots/{w.BallotId}", StringComparison.Ordinal)
            .Replace("/surveys/{id}", $"/surveys/{w.SurveyId}", StringComparison.Ordinal);
        if (t.Contains('{', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"No value for a parameter of {row.Key}: give the row a Path.");
        }
        return "/api/" + row.Service + t;
    }
}
