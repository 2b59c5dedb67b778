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

/// <summary>
/// Staff decide who sees one phase (e.g. internal workshops) on top of the process's visibility. Every change goes out
/// as <see cref="PhaseVisibilityChanged"/> in the same transaction, so Voting hides the phase's ballots from the same
/// callers Proposals hides the phase, its events and documents from.
/// </summary>
public static class PhaseVisibilityApi
{
    public static IEndpointRouteBuilder MapPhaseVisibilityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes/{processId:guid}/phases/{phaseId:guid}/visibility").WithTags("Phases")
            .RequireAuthorization(AuthPolicies.Staff);
        group.MapGet("/", Get);
        group.MapPut("/", Set);
        return app;
    }

    private static async Task<Results<Ok<PhaseVisibilityResponse>, ProblemHttpResult>> Get(
        Guid processId, Guid phaseId, ProposalsDb db, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        var phase = process is null ? null : await db.Phases.AsNoTracking().SingleOrDefaultAsync(p => p.Id == phaseId && p.ProcessId == processId, ct);
        return process is null || phase is null
            ? Problems.NotFound(process is null ? "The process does not exist." : "The phase does not exist.")
            : TypedResults.Ok(Response(process, phase));
    }

    private static async Task<Results<Ok<PhaseVisibilityResponse>, ProblemHttpResult>> Set(
        Guid processId, Guid phaseId, PhaseVisibilityRequest request, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (request.Visibility is not { } wanted || !ProcessVisibilities.All.Contains(wanted))
        {
            return Problems.Invalid("visibility", "Sichtbarkeit: public (öffentlich), members (nur Mitglieder) oder internal (nur Verwaltung).", language: "de");
        }
        // Under the process row's lock, as process visibility changes are: two changes cannot be announced out of order.
        var (found, foundPhase) = await db.InTransactionAsync<(Process?, Phase?)>(async token =>
        {
            var process = await ProcessLifecycle.LockAsync(db, processId, token);
            var phase = process is null ? null : await db.Phases.SingleOrDefaultAsync(p => p.Id == phaseId && p.ProcessId == processId, token);
            if (process is null || phase is null)
            {
                return (process, phase);
            }
            if (phase.Visibility != wanted)
            {
                var now = clock.GetUtcNow();
                phase.Visibility = wanted;
                process.UpdatedAt = now;
                db.AddOutboxMessage(new PhaseVisibilityChanged(processId, phaseId, wanted, now));
                await db.SaveChangesAsync(token);
            }
            return (process, phase);
        }, ct);
        return found is null || foundPhase is null
            ? Problems.NotFound(found is null ? "The process does not exist." : "The phase does not exist.")
            : TypedResults.Ok(Response(found, foundPhase));
    }

    private static PhaseVisibilityResponse Response(Process process, Phase phase) =>
        new(process.Id, phase.Id, phase.Visibility, process.Visibility, ProcessVisibilities.Stricter(process.Visibility, phase.Visibility));
}
