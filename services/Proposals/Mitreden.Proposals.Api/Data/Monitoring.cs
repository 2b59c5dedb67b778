using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Data;

public sealed class Milestone
{
    public Guid Id { get; set; }
    public Guid ItemId { get; set; }
    public required string Title { get; set; }
    public DateOnly DueOn { get; set; }
    public DateOnly? DoneOn { get; set; }
    public int Position { get; set; }
}

/// <summary>One monitoring update as it was recorded; the yearly report reads the state at a year's end from these.</summary>
public sealed class MonitoringEntry
{
    public Guid Id { get; set; }
    public Guid ItemId { get; set; }
    public MonitoringStatus Status { get; set; }
    public int ProgressPercent { get; set; }
    public string? ResponsibleOffice { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public Guid? RecordedBy { get; set; }
}

internal sealed class MilestoneConfiguration : IEntityTypeConfiguration<Milestone>
{
    public void Configure(EntityTypeBuilder<Milestone> e)
    {
        e.ToTable("milestones");
        e.HasKey(m => m.Id);
        e.Property(m => m.Title).HasMaxLength(300);
    }
}

internal sealed class MonitoringEntryConfiguration : IEntityTypeConfiguration<MonitoringEntry>
{
    public void Configure(EntityTypeBuilder<MonitoringEntry> e)
    {
        e.ToTable("monitoring_entries");
        e.HasKey(m => m.Id);
        e.Property(m => m.Status).HasConversion<KebabEnumConverter<MonitoringStatus>>().HasMaxLength(30);
        e.Property(m => m.ResponsibleOffice).HasMaxLength(200);
        e.Property(m => m.Note).HasMaxLength(5_000);
        e.HasOne<Item>().WithMany().HasForeignKey(m => m.ItemId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(m => new { m.ItemId, m.RecordedAt });
    }
}
