using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Accounts;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Api.Features.Tokens;
using Mitreden.Identity.Contracts;
using Mitreden.Identity.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace Mitreden.Identity.Api.Features.Account;

/// <summary>The signed-in user's own account: profile, display name, data export and deletion.</summary>
public static class ProfileApi
{
    public static RouteGroupBuilder MapProfileApi(this RouteGroupBuilder account)
    {
        var me = account.MapGroup("/me").RequireAuthorization(AuthPolicies.Citizen);
        me.MapGet("/", GetAsync);
        me.MapPut("/", UpdateAsync);
        me.MapGet("/export", ExportAsync);
        me.MapDelete("/", DeleteAsync);
        return account;
    }

    private static async Task<Results<Ok<Profile>, ProblemHttpResult>> GetAsync(HttpContext http, IdentityDb db, TimeProvider time, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == http.User.UserId(), ct);
        return user is null ? AccountNotFound() : TypedResults.Ok(await ProfileOfAsync(db, user, time.GetUtcNow(), ct));
    }

    private static async Task<Results<Ok<Profile>, ProblemHttpResult>> UpdateAsync(UpdateProfileRequest request, HttpContext http, IdentityDb db,
        TimeProvider time, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == http.User.UserId(), ct);
        if (user is null)
        {
            return AccountNotFound();
        }
        if (DisplayNames.Problem(request.DisplayName, out var displayName) is { } problem)
        {
            return Problems.Invalid([new FieldError("displayName", problem, DisplayNames.Message(problem))]);
        }
        var now = time.GetUtcNow();
        if (await Blocks.ActiveAsync(db, user.Id, now, ct) is not null)
        {
            return Problems.Conflict("Solange das Konto gesperrt ist, lässt sich der Anzeigename nicht ändern.", "account-blocked", language: "de");
        }
        if (displayName != user.DisplayName)
        {
            user.DisplayName = displayName;
            db.AddOutboxMessage(new UserDisplayNameChanged(user.Id, displayName, now));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(await ProfileOfAsync(db, user, now, ct));
    }

    /// <summary>Everything Identity stores about the user (GDPR Art. 15/20), without secrets: no password hash, token hashes or stamps.</summary>
    private static async Task<Results<Ok<AccountExport>, ProblemHttpResult>> ExportAsync(HttpContext http, IdentityDb db, TimeProvider time, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return AccountNotFound();
        }
        var now = time.GetUtcNow();
        var id = userId.ToString();
        var export = new AccountExport(
            ExportedAt: now,
            Profile: await ProfileOfAsync(db, user, now, ct),
            Account: new AccountDetails(user.UserName, user.Email, user.EmailConfirmed, user.PhoneNumber, user.PhoneNumberConfirmed,
                user.TwoFactorEnabled, user.LockoutEnabled, user.LockoutEnd, user.AccessFailedCount),
            RedeemedLetterCodes: await db.LetterCodes.AsNoTracking().Where(c => c.RedeemedBy == userId)
                .Join(db.LetterCodeBatches, c => c.BatchId, b => b.Id, (c, b) => new RedeemedLetterCode(b.District, c.RedeemedAt!.Value, b.Id))
                .ToListAsync(ct),
            Blocks: await db.UserBlocks.AsNoTracking().Where(b => b.UserId == userId).OrderBy(b => b.BlockedAt)
                .Select(b => new BlockRecord(b.BlockedAt, b.Until, b.Reason, b.BlockedBy, b.DecisionId, b.LiftedAt, b.LiftedBy))
                .ToListAsync(ct),
            SignIns: await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
                .Where(t => t.Subject == id && t.Type == OpenIddictConstants.TokenTypeIdentifiers.RefreshToken).OrderBy(t => t.CreationDate)
                .Select(t => new SignInRecord(t.Authorization!.Id, t.Application!.ClientId, t.CreationDate, t.ExpirationDate, t.RedemptionDate, t.Status))
                .ToListAsync(ct),
            AuditAboutMe: (await db.AuditEntries.AsNoTracking()
                    .Where(a => a.TargetType == AuditTargets.User && a.TargetId == id).OrderBy(a => a.Id).ToListAsync(ct))
                .Select(AuditEntryView.From).ToList(),
            AuditByMe: (await db.AuditEntries.AsNoTracking()
                    .Where(a => a.ActorId == userId).OrderBy(a => a.Id).ToListAsync(ct))
                .Select(AuditEntryView.From).ToList(),
            FollowedProcesses: await db.ProcessFollows.AsNoTracking().Where(f => f.UserId == userId).OrderBy(f => f.FollowedAt)
                .Select(f => new FollowRecord(f.ProcessId, f.FollowedAt)).ToListAsync(ct),
            NotificationSettings: await db.NotificationSettings.AsNoTracking().Where(s => s.UserId == userId)
                .ToDictionaryAsync(s => s.Kind, s => s.Mode, ct));
        http.Response.Headers.ContentDisposition = "attachment; filename=\"mitreden-account.json\"";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(export);
    }

    /// <summary>
    /// Deletes the account after the password is entered again: roles, refresh tokens and blocks go with it, redeemed
    /// letter codes stay used but lose the link. Other services replace the author by "deleted user" on UserDeleted.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync([FromBody] DeleteAccountRequest request, HttpContext http,
        IdentityDb db, UserManager<MitredenUser> users, TimeProvider time, CancellationToken ct)
    {
        if (AccountActions.TooLong(request.Password, "password") is { } tooLong)
        {
            return Problems.Invalid([tooLong]);
        }
        var user = await users.FindByIdAsync(http.User.UserId().ToString());
        if (user is null)
        {
            return AccountNotFound();
        }
        if (await users.IsLockedOutAsync(user))
        {
            return Problems.Forbidden("Zu viele falsche Passwörter. Bitte versuchen Sie es in 15 Minuten erneut.", "account-locked", language: "de");
        }
        if (!await users.CheckPasswordAsync(user, request.Password))
        {
            await users.AccessFailedAsync(user);
            return Problems.Forbidden("Das Passwort ist falsch; das Konto wurde nicht gelöscht.", "wrong-password", language: "de");
        }

        var adminRole = SeededRoles.IdOf(Roles.Admin);
        if (await db.UserRoles.AnyAsync(r => r.UserId == user.Id && r.RoleId == adminRole, ct)
            && await db.UserRoles.CountAsync(r => r.RoleId == adminRole, ct) == 1)
        {
            return Problems.Conflict("Das letzte Administrator-Konto lässt sich nicht löschen; geben Sie zuerst jemand anderem die Rolle admin.",
                "last-admin", language: "de");
        }

        var now = time.GetUtcNow();
        foreach (var code in await db.LetterCodes.Where(c => c.RedeemedBy == user.Id).ToListAsync(ct))
        {
            code.RedeemedBy = null;
        }
        // The audit log keeps what happened, not who it was: the account's id becomes a stand-in in every entry by
        // or about it (the same stand-in throughout, so the entries still belong together).
        var standIn = Guid.NewGuid();
        AuditLog.Add(db, standIn, AuditActions.AccountDeleted, AuditTargets.User, standIn, null, now);
        db.AddOutboxMessage(new UserDeleted(user.Id, now));
        // One SaveChanges (inside DeleteAsync) for the deletion, the cascades, the audit row and the event.
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting the account failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
        }
        var subject = user.Id.ToString();
        await db.AuditEntries.Where(a => a.ActorId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.ActorId, standIn), ct);
        await db.AuditEntries.Where(a => a.TargetType == AuditTargets.User && a.TargetId == subject)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.TargetId, standIn.ToString()), ct);
        // Token rows name the subject without a foreign key: they go explicitly (a refresh of a deleted account is refused anyway).
        await db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Subject == subject).ExecuteDeleteAsync(ct);
        await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().Where(a => a.Subject == subject).ExecuteDeleteAsync(ct);
        // Follows, settings and notifications went with the account (cascade); the copy of member lists lets go of the id now.
        await db.Database.ExecuteSqlAsync($"UPDATE process_audiences SET members = array_remove(members, {user.Id}) WHERE {user.Id} = ANY(members)", ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Profile> ProfileOfAsync(IdentityDb db, MitredenUser user, DateTimeOffset now, CancellationToken ct)
    {
        var block = await Blocks.ActiveAsync(db, user.Id, now, ct);
        return new Profile(user.Id, user.DisplayName, user.Email, user.EmailConfirmed, await TokenClaims.RolesOfAsync(db, user.Id, ct),
            user.Verification, user.ResidentDistrict, user.ResidentSince, block is null ? null : new BlockView(block.Until, block.Reason), user.CreatedAt);
    }

    private static ProblemHttpResult AccountNotFound() =>
        Problems.NotFound("Zu diesem Token gibt es kein Konto (gelöscht, oder ein Token eines Abstimmungscodes).", "account-not-found", language: "de");

    public sealed record AccountExport(DateTimeOffset ExportedAt, Profile Profile, AccountDetails Account,
        IReadOnlyList<RedeemedLetterCode> RedeemedLetterCodes, IReadOnlyList<BlockRecord> Blocks, IReadOnlyList<SignInRecord> SignIns,
        IReadOnlyList<AuditEntryView> AuditAboutMe, IReadOnlyList<AuditEntryView> AuditByMe,
        IReadOnlyList<FollowRecord> FollowedProcesses, IReadOnlyDictionary<string, string> NotificationSettings);

    public sealed record FollowRecord(Guid ProcessId, DateTimeOffset FollowedAt);

    public sealed record AccountDetails(string? UserName, string? Email, bool EmailConfirmed, string? PhoneNumber, bool PhoneNumberConfirmed,
        bool TwoFactorEnabled, bool LockoutEnabled, DateTimeOffset? LockoutEnd, int AccessFailedCount);

    public sealed record RedeemedLetterCode(string District, DateTimeOffset RedeemedAt, Guid BatchId);

    public sealed record BlockRecord(DateTimeOffset BlockedAt, DateTimeOffset Until, string Reason, Guid? BlockedBy, Guid? DecisionId,
        DateTimeOffset? LiftedAt, Guid? LiftedBy);

    /// <summary>A refresh token of the account (one sign-in = one authorization, the "family" of its rolling tokens).</summary>
    public sealed record SignInRecord(string? SignInId, string? ClientId, DateTime? CreatedAt, DateTime? ExpiresAt,
        DateTime? UsedAt, string? Status);
}
