using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Api.Domain;

/// <summary>
/// Whether a caller may see a process's ballots at all (Proposals' rule, <see cref="ProcessVisibilities.MaySee"/>, on our
/// copy). The vote path must not wait for the database, so the few processes that are not public are held in memory
/// and read again at most every <see cref="MaxAge"/> (and at once on this instance when the copy changes): another
/// instance follows a change within that time. Those who may not see a ballot get 404, as if it did not exist.
/// </summary>
public sealed class ProcessGate(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private sealed record Snapshot(IReadOnlyDictionary<Guid, (string Visibility, HashSet<Guid> Members)> Restricted, DateTimeOffset LoadedAt);

    private volatile Snapshot? _snapshot;

    public void Invalidate() => _snapshot = null;

    public async ValueTask<bool> MaySeeAsync(Guid processId, ClaimsPrincipal user, CancellationToken ct) =>
        MaySee(await CurrentAsync(ct), processId, user);

    /// <summary>A filter for lists: one look at the copy for all ballots.</summary>
    public async ValueTask<Func<Guid, bool>> FilterAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        return processId => MaySee(snapshot, processId, user);
    }

    private static bool MaySee(Snapshot snapshot, Guid processId, ClaimsPrincipal user) =>
        !snapshot.Restricted.TryGetValue(processId, out var copy) || ProcessVisibilities.MaySee(copy.Visibility,
            user.Identity?.IsAuthenticated == true && user.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin),
            user.TryGetUserId(out var me) ? me : null, copy.Members);

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
        snapshot = new Snapshot(rows.ToDictionary(r => r.ProcessId, r => (r.Visibility, r.Members.ToHashSet())), loadedAt);
        _snapshot = snapshot;
        return snapshot;
    }
}
