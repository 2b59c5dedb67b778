using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>
/// Following processes and the notification settings of the signed-in account (citizens and up), and the anonymous
/// one-click unsubscribe of the mails (the signed token is the authority).
/// </summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/account/me").RequireAuthorization(AuthPolicies.Citizen).WithTags("Notifications");
        me.MapGet("/follows", ListFollowsAsync);
        me.MapGet("/follows/{processId:guid}", GetFollowAsync);
        me.MapPut("/follows/{processId:guid}", FollowAsync);
        me.MapDelete("/follows/{processId:guid}", UnfollowAsync);
        me.MapGet("/notification-settings", GetSettingsAsync);
        me.MapPut("/notification-settings", PutSettingsAsync);

        app.MapGet(UnsubscribeTokens.Path, ConfirmPage).AllowAnonymous().WithTags("Notifications");
        app.MapPost(UnsubscribeTokens.Path, UnsubscribeAsync).AllowAnonymous().DisableAntiforgery().WithTags("Notifications");
        return app;
    }

    private static async Task<Results<Ok<FollowsView>, ProblemHttpResult>> ListFollowsAsync(HttpContext http, IdentityDb db, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var ids = await db.ProcessFollows.Where(f => f.UserId == userId).OrderBy(f => f.FollowedAt).Select(f => f.ProcessId).ToListAsync(ct);
        return TypedResults.Ok(new FollowsView(ids));
    }

    private static async Task<Results<Ok<FollowView>, ProblemHttpResult>> GetFollowAsync(Guid processId, HttpContext http, IdentityDb db,
        CancellationToken ct)
    {
        var userId = http.User.UserId();
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return AccountNotFound();
        }
        if (!await MaySeeAsync(db, http, processId, ct))
        {
            return ProcessNotFound();
        }
        return TypedResults.Ok(new FollowView(processId, await db.ProcessFollows.AnyAsync(f => f.UserId == userId && f.ProcessId == processId, ct)));
    }

    /// <summary>
    /// 404 for a process Identity does not know (its copy of ProcessVisibilityChanged, sent when a process is created) or
    /// one the caller may not see: a follower of a hidden process would learn of it from the mails.
    /// </summary>
    private static async Task<Results<Ok<FollowView>, ProblemHttpResult>> FollowAsync(Guid processId, HttpContext http, IdentityDb db,
        TimeProvider time, CancellationToken ct)
    {
        var userId = http.User.UserId();
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return AccountNotFound();
        }
        if (!await MaySeeAsync(db, http, processId, ct))
        {
            return ProcessNotFound();
        }
        if (!await db.ProcessFollows.AnyAsync(f => f.UserId == userId && f.ProcessId == processId, ct))
        {
            db.ProcessFollows.Add(new ProcessFollow { UserId = userId, ProcessId = processId, FollowedAt = time.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same follow from a second tab: already following is the answer.
            }
        }
        return TypedResults.Ok(new FollowView(processId, true));
    }

    /// <summary>Stopping always works for a process one follows, even one hidden since; otherwise like following.</summary>
    private static async Task<Results<Ok<FollowView>, ProblemHttpResult>> UnfollowAsync(Guid processId, HttpContext http, IdentityDb db,
        CancellationToken ct)
    {
        var userId = http.User.UserId();
        var removed = await db.ProcessFollows.Where(f => f.UserId == userId && f.ProcessId == processId).ExecuteDeleteAsync(ct);
        if (removed == 0 && !await MaySeeAsync(db, http, processId, ct))
        {
            return ProcessNotFound();
        }
        return TypedResults.Ok(new FollowView(processId, false));
    }

    private static async Task<bool> MaySeeAsync(IdentityDb db, HttpContext http, Guid processId, CancellationToken ct)
    {
        var audience = await db.ProcessAudiences.AsNoTracking().SingleOrDefaultAsync(a => a.ProcessId == processId, ct);
        return audience is not null && audience.MaySee(null, http.User.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin), http.User.UserId());
    }

    private static ProblemHttpResult ProcessNotFound() =>
        Problems.NotFound("There is no process with this id that you may see.", "process-not-found");

    private static async Task<Results<Ok<SettingsView>, ProblemHttpResult>> GetSettingsAsync(HttpContext http, IdentityDb db,
        NotificationOptions options, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var confirmed = await db.Users.Where(u => u.Id == userId).Select(u => (bool?)u.EmailConfirmed).SingleOrDefaultAsync(ct);
        return confirmed is null ? AccountNotFound() : TypedResults.Ok(await ViewAsync(db, userId, confirmed.Value, options, ct));
    }

    private static async Task<Results<Ok<SettingsView>, ProblemHttpResult>> PutSettingsAsync(SettingsRequest request, HttpContext http,
        IdentityDb db, NotificationOptions options, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var confirmed = await db.Users.Where(u => u.Id == userId).Select(u => (bool?)u.EmailConfirmed).SingleOrDefaultAsync(ct);
        if (confirmed is null)
        {
            return AccountNotFound();
        }
        if (request.Settings is not { Count: > 0 } settings)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["settings"] = ["Give at least one kind and its mode."] });
        }
        var errors = new Dictionary<string, string[]>();
        foreach (var (kind, mode) in settings)
        {
            if (!NotificationKinds.All.Contains(kind))
            {
                errors[$"settings.{Shorten(kind)}"] = [$"Unknown kind; one of {string.Join(", ", NotificationKinds.All)}."];
            }
            else if (!NotificationModes.All.Contains(mode))
            {
                errors[$"settings.{kind}"] = [$"Unknown mode; one of {string.Join(", ", NotificationModes.All)}."];
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        foreach (var (kind, mode) in settings)
        {
            await SetAsync(db, userId, kind, mode, ct);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ViewAsync(db, userId, confirmed.Value, options, ct));
    }

    /// <summary>A form, not an action: mail scanners follow links with GET, and must not unsubscribe anyone.</summary>
    private static IResult ConfirmPage(string? token, UnsubscribeTokens tokens)
    {
        if (!tokens.TryRead(token, out _, out var kind))
        {
            return InvalidToken();
        }
        var (german, english) = KindName(kind);
        return TypedResults.Content($"""
            <!DOCTYPE html>
            <html lang="de"><head><meta charset="utf-8"><title>Abbestellen – Mitreden</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body><main>
            <h1>Benachrichtigungen abbestellen</h1>
            <p>Sie erhalten dann keine E-Mails mehr für: <strong>{WebUtility.HtmlEncode(german)}</strong>.</p>
            <p lang="en">Unsubscribe from: {WebUtility.HtmlEncode(english)}.</p>
            <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
            <button type="submit">Abbestellen / Unsubscribe</button></form>
            </main></body></html>
            """, "text/html; charset=utf-8");
    }

    /// <summary>RFC 8058: the mail program POSTs <c>List-Unsubscribe=One-Click</c> to the link; the token alone decides.</summary>
    private static async Task<IResult> UnsubscribeAsync(string? token, UnsubscribeTokens tokens, IdentityDb db, CancellationToken ct)
    {
        if (!tokens.TryRead(token, out var userId, out var kind))
        {
            return InvalidToken();
        }
        if (await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            if (kind == UnsubscribeTokens.WholeDigest)
            {
                var own = await db.NotificationSettings.Where(s => s.UserId == userId).ToDictionaryAsync(s => s.Kind, s => s.Mode, ct);
                foreach (var k in NotificationKinds.All.Where(k => own.GetValueOrDefault(k, NotificationKinds.DefaultMode(k)) == NotificationModes.Digest))
                {
                    await SetAsync(db, userId, k, NotificationModes.Off, ct);
                }
            }
            else
            {
                await SetAsync(db, userId, kind, NotificationModes.Off, ct);
            }
            await db.SaveChangesAsync(ct);
        }
        var (german, english) = KindName(kind);
        return TypedResults.Content($"""
            <!DOCTYPE html>
            <html lang="de"><head><meta charset="utf-8"><title>Abbestellt – Mitreden</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body><main>
            <h1>Abbestellt</h1>
            <p>Sie erhalten keine E-Mails mehr für: <strong>{WebUtility.HtmlEncode(german)}</strong>. In Ihrem Konto können Sie das jederzeit ändern.</p>
            <p lang="en">You are unsubscribed from: {WebUtility.HtmlEncode(english)}. You can change this in your account at any time.</p>
            </main></body></html>
            """, "text/html; charset=utf-8");
    }

    private static async Task SetAsync(IdentityDb db, Guid userId, string kind, string mode, CancellationToken ct)
    {
        var setting = await db.NotificationSettings.SingleOrDefaultAsync(s => s.UserId == userId && s.Kind == kind, ct);
        if (setting is null)
        {
            db.NotificationSettings.Add(new NotificationSetting { UserId = userId, Kind = kind, Mode = mode });
        }
        else
        {
            setting.Mode = mode;
        }
    }

    private static async Task<SettingsView> ViewAsync(IdentityDb db, Guid userId, bool confirmed, NotificationOptions options, CancellationToken ct)
    {
        var own = await db.NotificationSettings.AsNoTracking().Where(s => s.UserId == userId).ToDictionaryAsync(s => s.Kind, s => s.Mode, ct);
        var settings = NotificationKinds.All
            .Select(k => own.TryGetValue(k, out var mode) ? new SettingView(k, mode, false) : new SettingView(k, NotificationKinds.DefaultMode(k), true))
            .ToList();
        return new SettingsView(settings, NotificationModes.All, options.DigestHour, confirmed);
    }

    private static (string German, string English) KindName(string kind) =>
        kind == UnsubscribeTokens.WholeDigest ? ("die tägliche Zusammenfassung", "the daily digest") : NotificationMails.Subject(kind);

    private static string Shorten(string key) => key.Length <= 40 ? key : key[..40];

    private static ProblemHttpResult InvalidToken() =>
        Problems.BadRequest("The link is incomplete or was not issued by Mitreden.", "invalid-unsubscribe-token");

    private static ProblemHttpResult AccountNotFound() =>
        Problems.NotFound("There is no account for this token (deleted, or a voting-code token).", "account-not-found");
}
