using Microsoft.EntityFrameworkCore;

namespace Mitreden.ServiceDefaults.Accounts;

/// <summary>A row of a service's own <c>refused_subjects</c> table: an account Identity deleted or blocked.</summary>
public sealed class RefusedSubject
{
    public Guid UserId { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
    public DateTimeOffset? BlockAsOf { get; set; }
    /// <summary>When this row last changed: replicas read what changed since their last look.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    public AccountState ToState() => new(DeletedAt, BlockedUntil, BlockAsOf);
}

public static class RefusedSubjectsModel
{
    /// <summary>Adds the refused-subjects table to a service's model (each service has its own, in its own migration).</summary>
    public static ModelBuilder AddRefusedSubjects(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RefusedSubject>(e =>
        {
            e.ToTable("refused_subjects");
            e.HasKey(s => s.UserId);
            e.Property(s => s.UserId).HasColumnName("user_id").ValueGeneratedNever();
            e.Property(s => s.DeletedAt).HasColumnName("deleted_at");
            e.Property(s => s.BlockedUntil).HasColumnName("blocked_until");
            e.Property(s => s.BlockAsOf).HasColumnName("block_as_of");
            e.Property(s => s.ChangedAt).HasColumnName("changed_at");
            e.HasIndex(s => s.ChangedAt).HasDatabaseName("ix_refused_subjects_changed_at");
        });
        return modelBuilder;
    }
}
