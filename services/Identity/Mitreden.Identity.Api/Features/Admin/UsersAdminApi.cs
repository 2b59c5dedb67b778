using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts.Http;
using OpenIddict.Abstractions;
using Mitreden.Identity.Api.Accounts;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Account;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Identity.Api.Features.Admin;

/// <summary>
/// User administration: staff see a user (never the email) and manage roles — staff may grant and revoke citizen
/// and moderator, only admins staff and admin; moderators block, unblock and list who is blocked. Every change is audited.
/// </summary>
public static class UsersAdminApi
{
    public static IEndpointRouteBuilder MapUsersAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/users", SearchAsync).WithTags("User administration")
            .WithSummary("Finds users for role grants by part of the display name, an exact email address or an id; answers names, never addresses.")
            .RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 422);
        var users = app.MapGroup("/admin/users/{id:guid}").WithTags("User administration");
        users.MapGet("/", GetAsync).RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 404);
        users.MapPut("/roles/{role}", GrantRoleAsync).RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 404);
        users.MapDelete("/roles/{role}", RevokeRoleAsync).RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 404, 409);
        users.MapPost("/block", BlockAsync).RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(400, 401, 403, 404, 422);
        users.MapDelete("/block", UnblockAsync).RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(401, 403, 404);
        app.MapGet("/admin/blocks", ListBlocksAsync).WithTags("User administration")
            .WithSummary("Users blocked now (display name and block, never the email), newest block first; q searches names or an exact id.")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(401, 403, 422);
        return app;
    }

    public const int SearchPageSize = 20;

    /// <summary>The one rule of who manages which role: only admins grant or revoke staff and admin.</summary>
    public static IReadOnlyList<string> AssignableBy(System.Security.Claims.ClaimsPrincipal actor) =>
        actor.IsInRole(MitredenRoles.Admin) ? Roles.All : Roles.All.Where(r => r is not (Roles.Staff or Roles.Admin)).ToList();

    private static async Task<Results<Ok<UsersPage>, ProblemHttpResult>> SearchAsync(string? q, int? page, IdentityDb db, CancellationToken ct)
    {
        var search = q?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (search.Length is < 2 or > 200)
        {
            errors["q"] = ["Bitte 2 bis 200 Zeichen: einen Teil des Namens, die ganze E-Mail-Adresse oder die Kennung."];
        }
        if (page is < 1 or > 10_000)
        {
            errors["page"] = ["Die Seite muss zwischen 1 und 10000 liegen."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Suche ist ungültig.", language: "de");
        }
        IQueryable<MitredenUser> users = db.Users.AsNoTracking();
        if (Guid.TryParse(search, out var id))
        {
            users = users.Where(u => u.Id == id);
        }
        else if (search.Contains('@'))
        {
            // Whole addresses only: staff find the person they were told about, they cannot list who uses a domain.
            var normalized = search.ToUpperInvariant();
            users = users.Where(u => u.NormalizedEmail == normalized);
        }
        else
        {
            var pattern = Containing(search);
            users = users.Where(u => EF.Functions.ILike(u.DisplayName, pattern));
        }
        var number = page ?? 1;
        var total = await users.CountAsync(ct);
        var rows = await users.OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Skip((number - 1) * SearchPageSize).Take(SearchPageSize)
            .Select(u => new { u.Id, u.DisplayName })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var roles = await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, Role = r.Name! })
            .ToListAsync(ct);
        var items = rows.Select(r => new UserSummary(r.Id, r.DisplayName,
            Roles.All.Where(role => roles.Any(x => x.UserId == r.Id && x.Role == role)).ToList())).ToList();
        return TypedResults.Ok(new UsersPage(items, number, SearchPageSize, total));
    }

    public const int BlockListPageSize = 50;

    private static async Task<Results<Ok<BlockedUsersPage>, ProblemHttpResult>> ListBlocksAsync(string? q, int? page, IdentityDb db,
        TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > 10_000)
        {
            errors["page"] = ["Die Seite muss zwischen 1 und 10000 liegen."];
        }
        if (q is { Length: > 100 })
        {
            errors["q"] = ["Höchstens 100 Zeichen."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Suche ist ungültig.", language: "de");
        }
        var now = time.GetUtcNow();
        var active = db.UserBlocks.AsNoTracking().Where(b => b.LiftedAt == null && b.Until > now);
        var users = db.Users.AsNoTracking().Where(u => active.Any(b => b.UserId == u.Id));
        var search = q?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            if (Guid.TryParse(search, out var id))
            {
                users = users.Where(u => u.Id == id);
            }
            else
            {
                var pattern = Containing(search);
            users = users.Where(u => EF.Functions.ILike(u.DisplayName, pattern));
            }
        }
        var number = page ?? 1;
        var total = await users.CountAsync(ct);
        // One row per user with the block that lasts longest (several may overlap).
        var rows = await users
            .Select(u => new { u.Id, u.DisplayName, Block = active.Where(b => b.UserId == u.Id).OrderByDescending(b => b.Until).First() })
            .OrderByDescending(r => r.Block.BlockedAt).ThenBy(r => r.Id)
            .Skip((number - 1) * BlockListPageSize).Take(BlockListPageSize)
            .ToListAsync(ct);
        var items = rows.Select(r => new BlockedUserView(r.Id, r.DisplayName, r.Block.Until, r.Block.Reason, r.Block.BlockedAt, r.Block.BlockedBy))
            .ToList();
        return TypedResults.Ok(new BlockedUsersPage(items, number, BlockListPageSize, total));
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, IdentityDb db, TimeProvider time,
        CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return UserNotFound();
        }
        var profile = await ProfileApi.ProfileOfAsync(db, user, time.GetUtcNow(), ct);
        return TypedResults.Ok(new UserView(user.Id, user.DisplayName, user.EmailConfirmed, profile.Roles, profile.Verification,
            profile.District, profile.Block, user.CreatedAt, user.LockoutEnd, AssignableBy(http.User)));
    }

    private static Task<Results<Ok<RolesView>, ProblemHttpResult>> GrantRoleAsync(Guid id, string role, HttpContext http, IdentityDb db,
        TimeProvider time, CancellationToken ct) => ChangeRoleAsync(id, role, grant: true, http, db, time, ct);

    private static Task<Results<Ok<RolesView>, ProblemHttpResult>> RevokeRoleAsync(Guid id, string role, HttpContext http, IdentityDb db,
        TimeProvider time, CancellationToken ct) => ChangeRoleAsync(id, role, grant: false, http, db, time, ct);

    private static async Task<Results<Ok<RolesView>, ProblemHttpResult>> ChangeRoleAsync(Guid id, string role, bool grant, HttpContext http,
        IdentityDb db, TimeProvider time, CancellationToken ct)
    {
        if (!Roles.All.Contains(role))
        {
            return Problems.NotFound($"Diese Rolle gibt es nicht; es gibt {string.Join(", ", Roles.All)}.", "unknown-role", language: "de");
        }
        if (!AssignableBy(http.User).Contains(role))
        {
            return Problems.Forbidden("Nur Administratorinnen und Administratoren vergeben und entziehen die Rollen staff und admin.",
                "role-admin-only", language: "de");
        }
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return UserNotFound();
        }

        var roleId = SeededRoles.IdOf(role);
        var link = await db.UserRoles.SingleOrDefaultAsync(ur => ur.UserId == id && ur.RoleId == roleId, ct);
        if (grant == (link is not null))
        {
            return TypedResults.Ok(new RolesView(id, await Tokens.TokenClaims.RolesOfAsync(db, id, ct))); // nothing changes, nothing audited
        }
        if (!grant && role == Roles.Admin && await db.UserRoles.CountAsync(ur => ur.RoleId == roleId, ct) == 1)
        {
            return Problems.Conflict("Dem letzten Administrator-Konto kann die Rolle admin nicht entzogen werden.", "last-admin", language: "de");
        }

        if (grant)
        {
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = id, RoleId = roleId });
        }
        else
        {
            db.UserRoles.Remove(link!);
        }
        AuditLog.Add(db, http.User.UserId(), grant ? AuditActions.RoleGranted : AuditActions.RoleRevoked, AuditTargets.User, id, new { role }, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new RolesView(id, await Tokens.TokenClaims.RolesOfAsync(db, id, ct)));
    }

    private static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> BlockAsync(Guid id, BlockRequest request, HttpContext http,
        IdentityDb db, IOpenIddictTokenManager tokens, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var reason = request.Reason.Trim();
        var errors = new Dictionary<string, string[]>();
        var errorCodes = new Dictionary<string, string>();
        if (request.Until <= now)
        {
            errors["until"] = ["Das Ende der Sperre muss in der Zukunft liegen."];
            errorCodes["until"] = "block-until-past";
        }
        else if (request.Until > now.AddYears(10))
        {
            errors["until"] = ["Eine Sperre dauert höchstens 10 Jahre."];
            errorCodes["until"] = "block-until-too-far";
        }
        if (reason.Length is 0 or > Blocks.MaxReasonLength)
        {
            errors["reason"] = [$"Der Grund (die Person sieht ihn) muss 1 bis {Blocks.MaxReasonLength} Zeichen haben."];
            errorCodes["reason"] = "block-reason-length";
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Sperre ist unvollständig.", errorCodes, language: "de");
        }

        var actor = http.User.UserId();
        if (actor == id)
        {
            return Problems.Invalid([new KeyValuePair<string, string[]>("id", ["Das eigene Konto kann man nicht sperren."])],
                "Moderatorinnen und Moderatoren sperren ihr eigenes Konto nicht.", language: "de", code: "block-self");
        }
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return UserNotFound();
        }
        var targetRoles = await Tokens.TokenClaims.RolesOfAsync(db, id, ct);
        if (targetRoles.Any(r => r is Roles.Staff or Roles.Admin) && !http.User.IsInRole(MitredenRoles.Admin))
        {
            return Problems.Forbidden("Nur Administratorinnen und Administratoren sperren Konten mit den Rollen staff oder admin.",
                "block-staff-admin-only", language: "de");
        }

        var block = Blocks.Add(db, id, request.Until, reason, actor, decisionId: null, now);
        await db.SaveChangesAsync(ct);
        // The session ends with its access token; a new sign-in carries blocked_until.
        await tokens.RevokeBySubjectAsync(id.ToString(), ct);
        return TypedResults.Ok(new BlockResponse(id, block.Until, block.Reason));
    }

    /// <summary>204 also when there was no active block (nothing audited or published then).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> UnblockAsync(Guid id, HttpContext http, IdentityDb db, TimeProvider time, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return UserNotFound();
        }
        if (await Blocks.LiftAsync(db, id, http.User.UserId(), time.GetUtcNow(), ct) > 0)
        {
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    /// <summary>An ILIKE pattern matching names that contain <paramref name="text"/> literally (its %, _ and \ escaped).</summary>
    private static string Containing(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    private static ProblemHttpResult UserNotFound() => Problems.NotFound("Ein Konto mit dieser Kennung gibt es nicht.", "user-not-found", language: "de");
}
