using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.Processes;

/// <summary>
/// Staff decide who sees a process: everyone, invited accounts (members) or staff only. Every change goes out as
/// <see cref="ProcessVisibilityChanged"/> with the whole member list in the same transaction, so Comments and Voting
/// refuse the same callers Proposals refuses.
/// </summary>
public static class ProcessVisibilityApi
{
    public static IEndpointRouteBuilder MapProcessVisibilityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes/{processId:guid}").WithTags("Processes").RequireAuthorization(AuthPolicies.Staff);
        group.MapGet("/visibility", Get);
        group.MapPut("/visibility", Set);
        group.MapPut("/members/{accountId:guid}", AddMember);
        group.MapDelete("/members/{accountId:guid}", RemoveMember);
        return app;
    }

    private static async Task<Results<Ok<ProcessVisibilityResponse>, ProblemHttpResult>> Get(Guid processId, ProposalsDb db, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        return process is null ? Problems.NotFound("The process does not exist.") : TypedResults.Ok(await ResponseAsync(db, process, ct));
    }

    private static async Task<Results<Ok<ProcessVisibilityResponse>, ProblemHttpResult>> Set(
        Guid processId, ProcessVisibilityRequest request, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (request.Visibility is not { } wanted || !ProcessVisibilities.All.Contains(wanted))
        {
            return Problems.Invalid("visibility", "Sichtbarkeit: public (öffentlich), members (nur Mitglieder) oder internal (nur Verwaltung).");
        }
        return await ChangeAsync(db, processId, clock, ct, async process =>
        {
            var changed = process.Visibility != wanted;
            process.Visibility = wanted;
            return await Task.FromResult(changed);
        });
    }

    private static async Task<Results<Ok<ProcessVisibilityResponse>, ProblemHttpResult>> AddMember(
        Guid processId, Guid accountId, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (accountId == Guid.Empty)
        {
            return Problems.Invalid("accountId", "Kein Konto angegeben.");
        }
        return await ChangeAsync(db, processId, clock, ct, async process =>
        {
            if (await db.ProcessMembers.AnyAsync(m => m.ProcessId == processId && m.AccountId == accountId, ct))
            {
                return false;
            }
            if (await db.ProcessMembers.CountAsync(m => m.ProcessId == processId, ct) >= ProcessVisibilities.MaxMembers)
            {
                throw new TooManyMembers();
            }
            db.ProcessMembers.Add(new ProcessMember { ProcessId = processId, AccountId = accountId, AddedAt = clock.GetUtcNow() });
            return true;
        });
    }

    private static async Task<Results<Ok<ProcessVisibilityResponse>, ProblemHttpResult>> RemoveMember(
        Guid processId, Guid accountId, ProposalsDb db, TimeProvider clock, CancellationToken ct) =>
        await ChangeAsync(db, processId, clock, ct, async process =>
        {
            var member = await db.ProcessMembers.SingleOrDefaultAsync(m => m.ProcessId == processId && m.AccountId == accountId, ct);
            if (member is null)
            {
                return false;
            }
            db.ProcessMembers.Remove(member);
            return true;
        });

    private sealed class TooManyMembers : Exception;

    /// <summary>Under the process row's lock, so two changes at once cannot announce member lists that miss each other's.</summary>
    private static async Task<Results<Ok<ProcessVisibilityResponse>, ProblemHttpResult>> ChangeAsync(
        ProposalsDb db, Guid processId, TimeProvider clock, CancellationToken ct, Func<Process, Task<bool>> change)
    {
        try
        {
            var process = await db.InTransactionAsync(async token =>
            {
                var process = await ProcessLifecycle.LockAsync(db, processId, token);
                if (process is null)
                {
                    return null;
                }
                if (await change(process))
                {
                    var now = clock.GetUtcNow();
                    process.UpdatedAt = now;
                    await db.SaveChangesAsync(token);
                    await AnnounceAsync(db, process, now, token);
                    await db.SaveChangesAsync(token);
                }
                return process;
            }, ct);
            return process is null ? Problems.NotFound("The process does not exist.") : TypedResults.Ok(await ResponseAsync(db, process, ct));
        }
        catch (TooManyMembers)
        {
            return Problems.Conflict($"Ein Prozess hat höchstens {ProcessVisibilities.MaxMembers} Mitglieder.", "too-many-members");
        }
    }

    /// <summary>Adds the event with the process's current visibility and whole member list to the outbox (saved by the caller).</summary>
    internal static async Task AnnounceAsync(ProposalsDb db, Process process, DateTimeOffset now, CancellationToken ct)
    {
        var members = await db.ProcessMembers.Where(m => m.ProcessId == process.Id).OrderBy(m => m.AccountId).Select(m => m.AccountId).ToListAsync(ct);
        db.AddOutboxMessage(new ProcessVisibilityChanged(process.Id, process.Visibility, members, now));
    }

    private static async Task<ProcessVisibilityResponse> ResponseAsync(ProposalsDb db, Process process, CancellationToken ct)
    {
        var members = await db.ProcessMembers.AsNoTracking().Where(m => m.ProcessId == process.Id).OrderBy(m => m.AddedAt)
            .Select(m => new ProcessMemberResponse(m.AccountId, m.AddedAt)).ToListAsync(ct);
        return new ProcessVisibilityResponse(process.Id, process.Visibility, members);
    }
}
