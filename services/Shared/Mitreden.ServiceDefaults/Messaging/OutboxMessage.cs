using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Observability;

namespace Mitreden.ServiceDefaults.Messaging;

/// <summary>An event waiting in the service's own database until the dispatcher has handed it to the broker.</summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    public string? CorrelationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static OutboxMessage Create<T>(T message) where T : class => new()
    {
        MessageId = Guid.NewGuid(),
        MessageType = typeof(T).AssemblyQualifiedName ?? throw new InvalidOperationException("Message type has no name."),
        Body = JsonSerializer.Serialize(message, Json),
        CorrelationId = CorrelationContext.Id,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}

/// <summary>Records that a consumer has handled a message, so a redelivery changes nothing.</summary>
public sealed class ProcessedMessage
{
    public required string Consumer { get; set; }
    public Guid MessageId { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

public static class MessagingModel
{
    /// <summary>Adds the outbox and processed-message tables to a service's model.</summary>
    public static ModelBuilder AddMitredenMessaging(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(m => m.MessageId).HasColumnName("message_id");
            e.Property(m => m.MessageType).HasColumnName("message_type").HasMaxLength(512);
            e.Property(m => m.Body).HasColumnName("body").HasColumnType("jsonb");
            e.Property(m => m.CorrelationId).HasColumnName("correlation_id").HasMaxLength(64);
            e.Property(m => m.CreatedAt).HasColumnName("created_at");
            e.Property(m => m.DispatchedAt).HasColumnName("dispatched_at");
            e.Property(m => m.Attempts).HasColumnName("attempts");
            e.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            e.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
            e.HasIndex(m => m.MessageId).IsUnique();
            e.HasIndex(m => m.Id).HasFilter("dispatched_at IS NULL").HasDatabaseName("ix_outbox_pending");
        });
        modelBuilder.Entity<ProcessedMessage>(e =>
        {
            e.ToTable("processed_messages");
            e.HasKey(m => new { m.Consumer, m.MessageId });
            e.Property(m => m.Consumer).HasColumnName("consumer").HasMaxLength(200);
            e.Property(m => m.MessageId).HasColumnName("message_id");
            e.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
        return modelBuilder;
    }

    /// <summary>Queues an event in the same unit of work as the state change that caused it.</summary>
    public static void AddOutboxMessage<T>(this DbContext db, T message) where T : class =>
        db.Set<OutboxMessage>().Add(OutboxMessage.Create(message));
}
