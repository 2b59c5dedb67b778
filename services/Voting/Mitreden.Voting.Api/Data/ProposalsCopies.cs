using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.ServiceDefaults.Districts;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Voting.Api.Data;

/// <summary>
/// Local copy of a Proposals phase (from PhaseStarted, PhaseSwitchesChanged, PhaseEnded), so ballots can follow its
/// times and its voting switch without calls. A phase Voting has not heard of does not restrict its ballots.
/// </summary>
public sealed class PhaseCopy
{
    public Guid PhaseId { get; set; }
    public Guid ProcessId { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>The phase's "Abstimmen" switch.</summary>
    public bool Voting { get; set; } = true;
    /// <summary>Since when <see cref="Voting"/> holds (Proposals' time of the change); older events do not overwrite it.</summary>
    public DateTimeOffset SwitchesAsOf { get; set; } = DateTimeOffset.UnixEpoch;
    /// <summary>Who may see the phase's ballots on top of the process's visibility (<see cref="PhaseVisibilityChanged"/>).</summary>
    public string Visibility { get; set; } = ProcessVisibilities.Public;
    /// <summary>Since when <see cref="Visibility"/> holds; older events do not overwrite it.</summary>
    public DateTimeOffset VisibilityAsOf { get; set; } = DateTimeOffset.UnixEpoch;
}

/// <summary>Local copy of a Proposals item (from ItemPublished/ItemUpdated): option titles and costs.</summary>
public sealed class ItemCopy
{
    public Guid ItemId { get; set; }
    public Guid ProcessId { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string? District { get; set; }
    public decimal? CostEstimate { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Local copy of who may see a process (<see cref="ProcessVisibilityCopy"/>, shared with Comments).</summary>
internal sealed class ProcessVisibilityCopyConfiguration : IEntityTypeConfiguration<ProcessVisibilityCopy>
{
    public void Configure(EntityTypeBuilder<ProcessVisibilityCopy> e)
    {
        e.ToTable("process_visibility");
        e.HasKey(p => p.ProcessId);
        e.Property(p => p.ProcessId).HasColumnName("process_id");
        e.Property(p => p.Visibility).HasColumnName("visibility").HasMaxLength(20);
        e.Property(p => p.Members).HasColumnName("members");
        e.Property(p => p.AsOf).HasColumnName("as_of");
    }
}

internal sealed class PhaseCopyConfiguration : IEntityTypeConfiguration<PhaseCopy>
{
    public void Configure(EntityTypeBuilder<PhaseCopy> e)
    {
        e.ToTable("phases");
        e.HasKey(p => p.PhaseId);
        e.Property(p => p.PhaseId).HasColumnName("phase_id");
        e.Property(p => p.ProcessId).HasColumnName("process_id");
        e.Property(p => p.Title).HasColumnName("title").HasMaxLength(300);
        e.Property(p => p.StartsAt).HasColumnName("starts_at");
        e.Property(p => p.EndsAt).HasColumnName("ends_at");
        e.Property(p => p.EndedAt).HasColumnName("ended_at");
        e.Property(p => p.Voting).HasColumnName("voting").HasDefaultValue(true);
        e.Property(p => p.SwitchesAsOf).HasColumnName("switches_as_of").HasDefaultValueSql("'1970-01-01T00:00:00Z'");
        e.Property(p => p.Visibility).HasColumnName("visibility").HasMaxLength(20).HasDefaultValue(ProcessVisibilities.Public);
        e.Property(p => p.VisibilityAsOf).HasColumnName("visibility_as_of").HasDefaultValueSql("'1970-01-01T00:00:00Z'");
    }
}

internal sealed class ItemCopyConfiguration : IEntityTypeConfiguration<ItemCopy>
{
    public void Configure(EntityTypeBuilder<ItemCopy> e)
    {
        e.ToTable("items");
        e.HasKey(i => i.ItemId);
        e.Property(i => i.ItemId).HasColumnName("item_id");
        e.Property(i => i.ProcessId).HasColumnName("process_id");
        e.Property(i => i.Kind).HasColumnName("kind").HasMaxLength(50);
        e.Property(i => i.Title).HasColumnName("title").HasMaxLength(300);
        e.Property(i => i.District).HasColumnName("district").HasMaxLength(DistrictSlug.MaxLength);
        e.Property(i => i.CostEstimate).HasColumnName("cost_estimate").HasPrecision(18, 2);
        e.Property(i => i.UpdatedAt).HasColumnName("updated_at");
    }
}
