using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults.Observability;

namespace Mitreden.ServiceDefaults.Messaging;

/// <summary>Wakes the dispatcher as soon as a transaction with outbox rows has committed.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

public sealed class OutboxSaveChangesInterceptor(OutboxSignal signal) : SaveChangesInterceptor
{
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyIfOutboxWritten(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyIfOutboxWritten(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void NotifyIfOutboxWritten(DbContext? context)
    {
        // Rows in an open explicit transaction are picked up by the poll after commit; a signal now is harmless.
        if (context is not null)
        {
            signal.Notify();
        }
    }
}

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    public int BatchSize { get; set; } = 200;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Dispatched rows are deleted after this time; they are only kept to explain what happened.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Binds section "Outbox", checked at start; the dispatcher takes the checked value.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(Section)
            .Validate(o => o.BatchSize is >= 1 and <= 10_000, "Outbox:BatchSize must be between 1 and 10000.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Outbox:PollInterval must be a positive time span.")
            .Validate(o => o.MaxBackoff >= o.PollInterval, "Outbox:MaxBackoff must be at least Outbox:PollInterval.")
            .Validate(o => o.Retention > TimeSpan.Zero, "Outbox:Retention must be a positive time span.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<OutboxOptions>>().Value);
    }
}

/// <summary>
/// Publishes committed outbox rows to the broker (MassTransit awaits the publisher confirm) and marks them
/// dispatched. At-least-once: a crash between publish and mark sends the row again with the same MessageId,
/// which consumers drop through their processed-message record.
/// </summary>
public sealed class OutboxDispatcher<TDbContext>(
    IServiceScopeFactory scopes, OutboxSignal signal, OutboxOptions options, ILogger<OutboxDispatcher<TDbContext>> logger)
    : BackgroundService where TDbContext : DbContext
{
    private DateTimeOffset _lastCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            int dispatched;
            try
            {
                dispatched = await DispatchBatchAsync(stoppingToken);
                await CleanupAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox dispatch failed; retrying");
                dispatched = 0;
                await Task.Delay(options.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            if (dispatched < options.BatchSize)
            {
                await signal.WaitAsync(options.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Dispatches one batch; returns how many rows were published.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.Set<OutboxMessage>()
            .FromSqlRaw("""
                SELECT * FROM outbox_messages
                WHERE dispatched_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                ORDER BY id LIMIT {0} FOR UPDATE SKIP LOCKED
                """, options.BatchSize)
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return 0;
        }

        var published = 0;
        foreach (var row in rows)
        {
            try
            {
                var type = Type.GetType(row.MessageType, throwOnError: true)!;
                var message = JsonSerializer.Deserialize(row.Body, type, OutboxMessage.Json)
                    ?? throw new InvalidOperationException("Outbox row has an empty body.");
                using var _ = CorrelationContext.Begin(row.CorrelationId ?? row.MessageId.ToString("N"));
                await publisher.Publish(message, type, ctx => ctx.MessageId = row.MessageId, ct);
                row.DispatchedAt = DateTimeOffset.UtcNow;
                published++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                row.Attempts++;
                row.LastError = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
                var backoff = TimeSpan.FromSeconds(Math.Min(options.MaxBackoff.TotalSeconds, Math.Pow(2, row.Attempts)));
                row.NextAttemptAt = DateTimeOffset.UtcNow + backoff;
                logger.LogWarning(ex, "Outbox message {MessageId} ({Type}) failed, attempt {Attempts}",
                    row.MessageId, row.MessageType.Split(',')[0], row.Attempts);
                // Keep the order of what follows: stop the batch at the first failure.
                break;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return published;
    }

    private async Task CleanupAsync(CancellationToken ct)
    {
        if (DateTimeOffset.UtcNow - _lastCleanup < TimeSpan.FromMinutes(10))
        {
            return;
        }
        _lastCleanup = DateTimeOffset.UtcNow;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var cutoff = DateTimeOffset.UtcNow - options.Retention;
        await db.Set<OutboxMessage>().Where(m => m.DispatchedAt != null && m.DispatchedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}
