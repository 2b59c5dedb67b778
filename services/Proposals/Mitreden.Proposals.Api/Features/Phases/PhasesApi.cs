using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.Phases;

public static class PhasesApi
{
    public static IEndpointRouteBuilder MapPhasesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes/{processId:guid}/phases").WithTags("Phases");
        group.MapGet("/", List).AllowAnonymous();
        group.MapGet("/{phaseId:guid}", Get).AllowAnonymous();
        group.MapPost("/", Create).RequireAuthorization(AuthPolicies.Staff);
        group.MapPut("/{phaseId:guid}", Update).RequireAuthorization(AuthPolicies.Staff);
        group.MapPut("/{phaseId:guid}/switches", UpdateSwitches).RequireAuthorization(AuthPolicies.Staff);
        group.MapDelete("/{phaseId:guid}", Delete).RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<PhaseResponse>>, ProblemHttpResult>> List(
        Guid processId, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var hidden = db.HiddenPhaseIds(user);
        var phases = await db.Phases.AsNoTracking().Where(p => p.ProcessId == processId && !hidden.Contains(p.Id)).ToListAsync(ct);
        return TypedResults.Ok(PhaseResponses.Ordered(phases, clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<PhaseResponse>, ProblemHttpResult>> Get(
        Guid processId, Guid phaseId, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var hidden = db.HiddenPhaseIds(user);
        var phases = await db.Phases.AsNoTracking().Where(p => p.ProcessId == processId && !hidden.Contains(p.Id)).ToListAsync(ct);
        var phase = PhaseResponses.Ordered(phases, clock.GetUtcNow()).FirstOrDefault(p => p.Id == phaseId);
        return phase is null ? Problems.NotFound("The phase does not exist.") : TypedResults.Ok(phase);
    }

    private static async Task<Results<Created<PhaseResponse>, ProblemHttpResult>> Create(
        Guid processId, PhaseRequest request, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived; its phases can no longer change.", "process-archived");
        }
        var phase = new Phase { Id = Guid.CreateVersion7(), ProcessId = processId, Title = "", Kind = "" };
        if (await ApplyAsync(db, phase, request, ct) is { } invalid)
        {
            return invalid;
        }
        db.Phases.Add(phase);
        // A phase that is current already is announced by the next clock tick (within Proposals:PhaseClockInterval).
        await db.SaveChangesAsync(ct);
        var now = clock.GetUtcNow();
        var response = PhaseResponses.Ordered(await db.Phases.AsNoTracking().Where(p => p.ProcessId == processId).ToListAsync(ct), now)
            .Single(p => p.Id == phase.Id);
        return TypedResults.Created($"/processes/{processId}/phases/{phase.Id}", response);
    }

    private static Task<Results<Ok<PhaseResponse>, ProblemHttpResult>> Update(
        Guid processId, Guid phaseId, PhaseRequest request, ProposalsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(processId, phaseId, db, clock, ct, async phase => await ApplyAsync(db, phase, request, ct));

    private static Task<Results<Ok<PhaseResponse>, ProblemHttpResult>> UpdateSwitches(
        Guid processId, Guid phaseId, PhaseSwitches switches, ProposalsDb db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(processId, phaseId, db, clock, ct, phase =>
        {
            phase.Switches = switches;
            return Task.FromResult<ProblemHttpResult?>(null);
        });

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid processId, Guid phaseId, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        return await db.InTransactionAsync<Results<NoContent, ProblemHttpResult>>(async token =>
        {
            var (process, phase) = await LockAsync(db, processId, phaseId, token);
            if (process is null || phase is null)
            {
                return Problems.NotFound(process is null ? "The process does not exist." : "The phase does not exist.");
            }
            if (process.Status == ProcessStatus.Archived)
            {
                return Problems.Conflict("The process is archived; its phases can no longer change.", "process-archived");
            }
            if (phase.IsAnnouncedRunning)
            {
                PhaseTransitions.End(db, phase, clock.GetUtcNow());
            }
            db.Phases.Remove(phase);
            await db.SaveChangesAsync(token);
            return TypedResults.NoContent();
        }, ct);
    }

    /// <summary>
    /// Changes a phase under a row lock (so the clock cannot announce it with stale switches meanwhile) and tells
    /// consumers what changed for a running phase: new switches, or its end when it was moved out of "now".
    /// </summary>
    private static async Task<Results<Ok<PhaseResponse>, ProblemHttpResult>> ChangeAsync(Guid processId, Guid phaseId, ProposalsDb db,
        TimeProvider clock, CancellationToken ct, Func<Phase, Task<ProblemHttpResult?>> change)
    {
        return await db.InTransactionAsync<Results<Ok<PhaseResponse>, ProblemHttpResult>>(async token =>
        {
            var (process, phase) = await LockAsync(db, processId, phaseId, token);
            if (process is null || phase is null)
            {
                return Problems.NotFound(process is null ? "The process does not exist." : "The phase does not exist.");
            }
            if (process.Status == ProcessStatus.Archived)
            {
                return Problems.Conflict("The process is archived; its phases can no longer change.", "process-archived");
            }
            var before = phase.Switches;
            if (await change(phase) is { } invalid)
            {
                return invalid;
            }
            var now = clock.GetUtcNow();
            if (phase.IsAnnouncedRunning && !phase.IsCurrent(now))
            {
                PhaseTransitions.End(db, phase, now);
            }
            else if (phase.IsAnnouncedRunning && phase.Switches != before)
            {
                db.AddOutboxMessage(new PhaseSwitchesChanged(processId, phase.Id, phase.Switches, now));
            }
            if (phase.EndedAt is not null && now < phase.EndsAt)
            {
                // Rescheduled into the future (or ended early and extended): the clock announces it again when it starts.
                phase.StartedAt = null;
                phase.EndedAt = null;
            }
            await db.SaveChangesAsync(token);
            var all = await db.Phases.AsNoTracking().Where(p => p.ProcessId == processId).ToListAsync(token);
            return TypedResults.Ok(PhaseResponses.Ordered(all, now).Single(p => p.Id == phaseId));
        }, ct);
    }

    private static async Task<(Process? Process, Phase? Phase)> LockAsync(ProposalsDb db, Guid processId, Guid phaseId, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        if (process is null)
        {
            return (null, null);
        }
        var phase = (await db.Phases
            .FromSql($"SELECT * FROM phases WHERE id = {phaseId} AND process_id = {processId} FOR UPDATE")
            .ToListAsync(ct)).SingleOrDefault();
        return (process, phase);
    }

    private static async Task<ProblemHttpResult?> ApplyAsync(ProposalsDb db, Phase phase, PhaseRequest request, CancellationToken ct)
    {
        var v = new Validator();
        var title = v.Text(request.Title, "title", 200);
        var description = v.OptionalText(request.Description, "description", 5_000);
        v.Check(PhaseKinds.All.Contains(request.Kind), "kind", $"Must be one of: {string.Join(", ", PhaseKinds.All)}.");
        var startsAt = request.StartsAt.ToUniversalTime();
        var endsAt = request.EndsAt.ToUniversalTime();
        v.Check(endsAt > startsAt, "endsAt", "Must be after startsAt.");
        if (!v.Failed)
        {
            var overlapping = await db.Phases.AsNoTracking()
                .Where(p => p.ProcessId == phase.ProcessId && p.Id != phase.Id && p.StartsAt < endsAt && startsAt < p.EndsAt)
                .Select(p => p.Title).FirstOrDefaultAsync(ct);
            v.Check(overlapping is null, "startsAt", $"Overlaps the phase '{overlapping}'; phases of a process follow one another.");
        }
        if (v.Failed)
        {
            return v.Problem();
        }
        phase.Title = title;
        phase.Description = description;
        phase.Kind = request.Kind;
        phase.StartsAt = startsAt;
        phase.EndsAt = endsAt;
        phase.Switches = request.Switches;
        return null;
    }
}
