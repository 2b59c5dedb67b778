using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Api.Domain;

/// <summary>
/// Whether a caller may see a process's ballots at all, or those of one phase (Proposals' rule,
/// <see cref="ProcessVisibilityCopy.MaySee(string?, bool, Guid?)"/>, on our copy). The vote path must not wait for the
/// database, so the few processes and phases that are not public are held in memory
/// and read again at most every <see cref="MaxAge"/> (and at once on this instance when the copy changes): another
/// instance follows a change within that time. Those who may not see a ballot get 404, as if it did not exist.
/// </summary>
public sealed class ProcessGate(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private sealed record Snapshot(IReadOnlyDictionary<Guid, ProcessVisibilityCopy> Restricted,
        IReadOnlyDictionary<Guid, string> RestrictedPhases, DateTimeOffset LoadedAt);

    private volatile Snapshot? _snapshot;

    public void Invalidate() => _snapshot = null;

    /// <summary>Whether the caller may see a ballot of the process and (if it has one) phase.</summary>
    public async ValueTask<bool> MaySeeAsync(Guid processId, Guid? phaseId, ClaimsPrincipal user, CancellationToken ct) =>
        MaySee(await CurrentAsync(ct), processId, phaseId, user);

    /// <summary>A filter for lists: one look at the copy for all ballots (process id, phase id).</summary>
    public async ValueTask<Func<Guid, Guid?, bool>> FilterAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        return (processId, phaseId) => MaySee(snapshot, processId, phaseId, user);
    }

    private static bool MaySee(Snapshot snapshot, Guid processId, Guid? phaseId, ClaimsPrincipal user)
    {
        string? phaseVisibility = null;
        if (phaseId is { } id && snapshot.RestrictedPhases.TryGetValue(id, out var restricted))
        {
            phaseVisibility = restricted;
        }
        var copy = snapshot.Restricted.GetValueOrDefault(processId);
        if (copy is null && phaseVisibility is null)
        {
            return true;
        }
        return ProcessVisibilityCopy.MaySee(copy, phaseVisibility,
            user.Identity?.IsAuthenticated == true && user.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin),
            user.TryGetUserId(out var me) ? me : null);
    }

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < MaxAge)
        {
            return snapshot;
        }
        var loadedAt = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VotingDb>();
        var rows = await db.ProcessVisibility.AsNoTracking().Where(p => p.Visibility != ProcessVisibilities.Public).ToListAsync(ct);
        var phases = await db.Phases.AsNoTracking().Where(p => p.Visibility != ProcessVisibilities.Public)
            .Select(p => new { p.PhaseId, p.Visibility }).ToListAsync(ct);
        // A members-only phase of a public process needs the process's member list, so every process's copy with
        // members is kept as well as the non-public ones.
        var phaseProcesses = await db.Phases.AsNoTracking().Where(p => p.Visibility == ProcessVisibilities.Members)
            .Select(p => p.ProcessId).Distinct().ToListAsync(ct);
        var memberCopies = await db.ProcessVisibility.AsNoTracking()
            .Where(p => p.Visibility == ProcessVisibilities.Public && phaseProcesses.Contains(p.ProcessId)).ToListAsync(ct);
        snapshot = new Snapshot(rows.Concat(memberCopies).ToDictionary(r => r.ProcessId),
            phases.ToDictionary(p => p.PhaseId, p => p.Visibility), loadedAt);
        _snapshot = snapshot;
        return snapshot;
    }
}
