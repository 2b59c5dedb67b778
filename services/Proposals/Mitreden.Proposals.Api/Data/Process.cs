using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Data;

/// <summary>A city strategy process (Leitbild, ISEK, Smart-City-Strategie) with its phases and content.</summary>
public sealed class Process
{
    public Guid Id { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public required string City { get; set; }
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public ProcessStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    /// <summary>Off by default: only accounts with a confirmed email address may comment (Comments enforces it).</summary>
    public bool UnconfirmedAccountsMayComment { get; set; }
    /// <summary>One of <see cref="Mitreden.Proposals.Contracts.ProcessVisibilities"/>; public by default.</summary>
    public string Visibility { get; set; } = Mitreden.Proposals.Contracts.ProcessVisibilities.Public;

    public List<Phase> Phases { get; set; } = [];
    public List<FieldOfAction> FieldsOfAction { get; set; } = [];
    public List<CrossCuttingTheme> Themes { get; set; } = [];
    public List<ItemStatusOption> ItemStatuses { get; set; } = [];

    /// <summary>Published and archived processes are public; drafts only for staff.</summary>
    public bool IsPublic => Status != ProcessStatus.Draft;
}

/// <summary>An account staff invited to a members-only process (the id only: names come from Identity).</summary>
public sealed class ProcessMember
{
    public Guid ProcessId { get; set; }
    public Guid AccountId { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

internal sealed class ProcessMemberConfiguration : IEntityTypeConfiguration<ProcessMember>
{
    public void Configure(EntityTypeBuilder<ProcessMember> e)
    {
        e.ToTable("process_members");
        e.HasKey(m => new { m.ProcessId, m.AccountId });
        e.HasIndex(m => m.AccountId);
        e.HasOne<Process>().WithMany().HasForeignKey(m => m.ProcessId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>One value of the process's configurable item status set; the first (by position) is given to new items.</summary>
public sealed class ItemStatusOption
{
    public Guid ProcessId { get; set; }
    public required string Key { get; set; }
    public required string Label { get; set; }
    public int Position { get; set; }
}

internal sealed class ProcessConfiguration : IEntityTypeConfiguration<Process>
{
    public void Configure(EntityTypeBuilder<Process> e)
    {
        e.ToTable("processes");
        e.HasKey(p => p.Id);
        e.Property(p => p.Title).HasMaxLength(200);
        e.Property(p => p.Description).HasMaxLength(20_000);
        e.Property(p => p.City).HasMaxLength(100);
        e.Property(p => p.Status).HasConversion<KebabEnumConverter<ProcessStatus>>().HasMaxLength(20);
        e.HasIndex(p => p.Status);
        e.Property(p => p.Visibility).HasMaxLength(20).HasDefaultValue(Mitreden.Proposals.Contracts.ProcessVisibilities.Public);
        e.HasMany(p => p.Phases).WithOne().HasForeignKey(p => p.ProcessId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(p => p.FieldsOfAction).WithOne().HasForeignKey(f => f.ProcessId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(p => p.Themes).WithOne().HasForeignKey(t => t.ProcessId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(p => p.ItemStatuses).WithOne().HasForeignKey(s => s.ProcessId).OnDelete(DeleteBehavior.Cascade);
        e.Ignore(p => p.IsPublic);
    }
}

internal sealed class ItemStatusOptionConfiguration : IEntityTypeConfiguration<ItemStatusOption>
{
    public void Configure(EntityTypeBuilder<ItemStatusOption> e)
    {
        e.ToTable("item_status_options");
        e.HasKey(s => new { s.ProcessId, s.Key });
        e.Property(s => s.Key).HasMaxLength(40);
        e.Property(s => s.Label).HasMaxLength(100);
    }
}
