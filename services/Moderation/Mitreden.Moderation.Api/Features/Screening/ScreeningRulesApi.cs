using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Screening;

/// <summary>
/// Staff edit the screening rules, globally or for one process; moderators may read them. Every change is audited.
/// Without stored rules the configuration section Moderation:Screening applies.
/// </summary>
public static class ScreeningRulesApi
{
    public static IEndpointRouteBuilder MapScreeningRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Screening rules");
        group.MapGet("/screening-rules", (ScreeningRulesStore store, CancellationToken ct) => GetAsync(null, store, ct))
            .WithSummary("The global screening rules in effect.")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(401, 403);
        group.MapPut("/screening-rules", (ScreeningRules rules, ClaimsPrincipal user, ModerationDb db, ScreeningRulesStore store, TimeProvider clock, CancellationToken ct) =>
                PutAsync(null, rules, user, db, store, clock, ct))
            .WithSummary("Replace the global screening rules.")
            .RequireAuthorization(AuthPolicies.Staff).ProducesProblems(400, 401, 403, 422);
        group.MapDelete("/screening-rules", (ClaimsPrincipal user, ModerationDb db, TimeProvider clock, CancellationToken ct) =>
                DeleteAsync(null, user, db, clock, ct))
            .WithSummary("Drop the stored global rules; configuration applies again.")
            .RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 404);

        group.MapGet("/processes/{processId:guid}/screening-rules", (Guid processId, ScreeningRulesStore store, CancellationToken ct) =>
                GetAsync(processId, store, ct))
            .WithSummary("The screening rules in effect for a process (its own, else the global ones).")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(401, 403);
        group.MapPut("/processes/{processId:guid}/screening-rules", (Guid processId, ScreeningRules rules, ClaimsPrincipal user, ModerationDb db,
                ScreeningRulesStore store, TimeProvider clock, CancellationToken ct) => PutAsync(processId, rules, user, db, store, clock, ct))
            .WithSummary("Give a process rules of its own.")
            .RequireAuthorization(AuthPolicies.Staff).ProducesProblems(400, 401, 403, 422);
        group.MapDelete("/processes/{processId:guid}/screening-rules", (Guid processId, ClaimsPrincipal user, ModerationDb db, TimeProvider clock,
                CancellationToken ct) => DeleteAsync(processId, user, db, clock, ct))
            .WithSummary("Drop a process's own rules; the global ones apply again.")
            .RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 404);
        return app;
    }

    private static async Task<Ok<ScreeningRulesView>> GetAsync(Guid? processId, ScreeningRulesStore store, CancellationToken ct)
    {
        var effective = await store.ForProcessAsync(processId, ct);
        return TypedResults.Ok(new ScreeningRulesView(processId, effective.Source, effective.Rules, effective.UpdatedAt, effective.UpdatedBy));
    }

    private static async Task<Results<Ok<ScreeningRulesView>, ProblemHttpResult>> PutAsync(Guid? processId, ScreeningRules rules,
        ClaimsPrincipal user, ModerationDb db, ScreeningRulesStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = rules.Validate();
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Prüfregeln sind ungültig.");
        }
        var now = clock.GetUtcNow();
        var staffId = user.UserId();
        var row = await db.ScreeningRules.SingleOrDefaultAsync(r => r.ProcessId == processId, ct);
        if (row is null)
        {
            row = new ScreeningRuleSet { Id = Guid.NewGuid(), ProcessId = processId, Rules = "" };
            db.ScreeningRules.Add(row);
        }
        row.Rules = rules.ToJson();
        row.UpdatedAt = now;
        row.UpdatedBy = staffId;
        db.AuditLog.Add(new AuditEntry
        {
            At = now,
            ActorId = staffId,
            Action = AuditActions.ScreeningRulesUpdated,
            ProcessId = processId,
            Details = row.Rules,
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await GetAsync(processId, store, ct)).Value!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid? processId, ClaimsPrincipal user, ModerationDb db,
        TimeProvider clock, CancellationToken ct)
    {
        var row = await db.ScreeningRules.SingleOrDefaultAsync(r => r.ProcessId == processId, ct);
        if (row is null)
        {
            return Problems.NotFound(processId is null ? "Es sind keine allgemeinen Prüfregeln gespeichert." : "Dieser Prozess hat keine eigenen Prüfregeln.",
                "screening-rules-not-stored");
        }
        db.ScreeningRules.Remove(row);
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            ActorId = user.UserId(),
            Action = AuditActions.ScreeningRulesReset,
            ProcessId = processId,
            Details = row.Rules,
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
