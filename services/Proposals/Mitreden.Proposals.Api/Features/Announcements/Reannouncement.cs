using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api.Features.Events;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.Announcements;

/// <summary>
/// Announces once at start what other services keep copies of: every process's visibility with its members, every
/// phase's visibility and every upcoming event. Copies that started after the processes (Identity's, which counts a
/// process it has not heard of as internal) fill up this way. Each process is announced under its row's lock and
/// stamped with the time of the lock, so a change made at the same time is announced after it and wins; the copies
/// keep the latest (events: the highest revision), so announcing again, or from several instances, changes nothing.
/// </summary>
public sealed class Reannouncement(IServiceScopeFactory scopes, TimeProvider clock, ILogger<Reannouncement> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // A process created after this is announced by its creation.
        var startedAt = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var processes = await AnnounceAllAsync(scopes, clock, startedAt, stoppingToken);
                logger.LogInformation("Announced the visibility and upcoming events of {Processes} process(es)", processes);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Announcing visibilities failed; next try in {Delay}", RetryDelay);
                await Task.Delay(RetryDelay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Every process created before <paramref name="createdBefore"/>, one transaction each; returns how many were announced.</summary>
    public static async Task<int> AnnounceAllAsync(IServiceScopeFactory scopes, TimeProvider clock, DateTimeOffset createdBefore, CancellationToken ct)
    {
        List<Guid> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            ids = await scope.ServiceProvider.GetRequiredService<ProposalsDb>().Processes.AsNoTracking()
                .Where(p => p.CreatedAt < createdBefore).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(ct);
        }
        var announced = 0;
        foreach (var id in ids)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
            if (await db.InTransactionAsync(token => AnnounceAsync(db, id, clock.GetUtcNow, token), ct))
            {
                announced++;
            }
        }
        return announced;
    }

    private static async Task<bool> AnnounceAsync(ProposalsDb db, Guid processId, Func<DateTimeOffset> now, CancellationToken ct)
    {
        var process = await ProcessLifecycle.LockAsync(db, processId, ct);
        if (process is null)
        {
            return false; // deleted meanwhile
        }
        var at = now();
        await ProcessVisibilityApi.AnnounceAsync(db, process, at, ct);
        var phases = await db.Phases.AsNoTracking().Where(p => p.ProcessId == processId).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Visibility }).ToListAsync(ct);
        foreach (var phase in phases)
        {
            db.AddOutboxMessage(new PhaseVisibilityChanged(processId, phase.Id, phase.Visibility, at));
        }
        var upcoming = await db.Events.AsNoTracking().Where(e => e.ProcessId == processId && !e.Cancelled && e.StartsAt > at)
            .OrderBy(e => e.StartsAt).ToListAsync(ct);
        foreach (var row in upcoming)
        {
            db.AddOutboxMessage(EventsApi.Scheduled(row, at));
        }
        await db.SaveChangesAsync(ct);
        return true;
    }
}
