using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Identity.Api.Data;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>Bound from the section "Notifications:Cleanup" and validated at start (IdentityModule).</summary>
public sealed class NotificationCleanupOptions
{
    public const string Section = "Notifications:Cleanup";

    /// <summary>How long sent or settled notifications, processed-message records, held replies and past events are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the cleanup runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public static bool IsValid(NotificationCleanupOptions o) => o.Retention >= TimeSpan.FromDays(1) && o.Interval > TimeSpan.Zero;

    public const string Rule = "Notifications:Cleanup:Retention must be at least 1.00:00:00 (one day) and Notifications:Cleanup:Interval positive.";
}

/// <param name="Notifications">Sent or settled notification rows deleted.</param>
/// <param name="ProcessedMessages">Records of handled messages (the consumers' dedupe) deleted.</param>
public sealed record CleanupResult(int Notifications, int ProcessedMessages, int HeldReplies, int Events);

/// <summary>
/// Deletes what has served its purpose longer than the retention: notifications sent or settled (unsent ones stay,
/// however old), records of handled messages, held replies never approved, and events long past. A message redelivered
/// after that long would be handled again; the broker keeps none that long.
/// </summary>
public sealed class NotificationCleanup(IServiceScopeFactory scopes, IOptions<NotificationCleanupOptions> settings, TimeProvider time,
    ILogger<NotificationCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await RunOnceAsync(stoppingToken);
                if (result.Notifications + result.ProcessedMessages + result.HeldReplies + result.Events > 0)
                {
                    logger.LogInformation("Cleanup deleted {Notifications} notification(s), {Processed} processed-message record(s), {Held} held reply(ies), {Events} past event(s)",
                        result.Notifications, result.ProcessedMessages, result.HeldReplies, result.Events);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError("Notification cleanup failed: {Error}", ex.GetType().Name);
            }
            try
            {
                await Task.Delay(settings.Value.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<CleanupResult> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var cutoff = time.GetUtcNow() - settings.Value.Retention;
        var notifications = await db.Notifications.Where(n => n.SentAt != null && n.SentAt < cutoff).ExecuteDeleteAsync(ct);
        var processed = await db.Set<ProcessedMessage>().Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(ct);
        var held = await db.HeldReplies.Where(h => h.HeldAt < cutoff).ExecuteDeleteAsync(ct);
        var events = await db.UpcomingEvents.Where(e => e.StartsAt < cutoff).ExecuteDeleteAsync(ct);
        return new CleanupResult(notifications, processed, held, events);
    }
}
