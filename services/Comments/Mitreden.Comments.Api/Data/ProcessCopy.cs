using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Comments.Api.Data;

/// <summary>Our copy of an item published by Proposals: which process and phase it belongs to, and its public comment count.</summary>
public sealed class ItemCopy
{
    public Guid ItemId { get; set; }
    public Guid ProcessId { get; set; }
    /// <summary>The item's phase (ItemPublished/ItemUpdated); its comments follow the phase's visibility.</summary>
    public Guid? PhaseId { get; set; }
    /// <summary>Time of the event <see cref="PhaseId"/> came from; an older event never overwrites a newer one.</summary>
    public DateTimeOffset PhaseAsOf { get; set; } = DateTimeOffset.UnixEpoch;
    /// <summary>Comments and replies visible to everyone (deleted and hidden ones keep their place and count).</summary>
    public int CommentCount { get; set; }
}

/// <summary>Our copy of a phase and its switches, kept from Proposals' events.</summary>
public sealed class PhaseCopy
{
    public Guid PhaseId { get; set; }
    public Guid ProcessId { get; set; }
    public bool Commenting { get; set; }
    public bool PreModeration { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>Planned end; a phase past it counts as over even if PhaseEnded has not arrived (yet).</summary>
    public DateTimeOffset? EndsAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Time of the event the switches came from; an older event never overwrites a newer one.</summary>
    public DateTimeOffset SwitchesAsOf { get; set; }
    /// <summary>Who may see the phase's items and their comments on top of the process (<see cref="PhaseVisibilityChanged"/>).</summary>
    public string Visibility { get; set; } = ProcessVisibilities.Public;
    /// <summary>Time of the event <see cref="Visibility"/> came from; an older event never overwrites a newer one.</summary>
    public DateTimeOffset VisibilityAsOf { get; set; } = DateTimeOffset.UnixEpoch;
    /// <summary>xmin: two phase events processed at once cannot overwrite each other's check of SwitchesAsOf.</summary>
    public uint Version { get; set; }
}

/// <summary>Our copy of a process's commenting rules (ProcessCommentingRulesChanged); no row means the defaults.</summary>
public sealed class ProcessRulesCopy
{
    public Guid ProcessId { get; set; }
    public bool UnconfirmedAccountsMayComment { get; set; }
    /// <summary>Time of the event the rules came from; an older event never overwrites a newer one.</summary>
    public DateTimeOffset AsOf { get; set; }
}

/// <summary>Our copy of who may see a process (<see cref="ProcessVisibilityCopy"/>, shared with Voting).</summary>
internal sealed class ProcessVisibilityCopyConfiguration : IEntityTypeConfiguration<ProcessVisibilityCopy>
{
    public void Configure(EntityTypeBuilder<ProcessVisibilityCopy> e)
    {
        e.ToTable("process_visibility");
        e.HasKey(p => p.ProcessId);
        e.Property(p => p.ProcessId).ValueGeneratedNever();
        e.Property(p => p.Visibility).HasMaxLength(20);
    }
}

internal sealed class ProcessRulesCopyConfiguration : IEntityTypeConfiguration<ProcessRulesCopy>
{
    public void Configure(EntityTypeBuilder<ProcessRulesCopy> e)
    {
        e.ToTable("process_rules");
        e.HasKey(p => p.ProcessId);
        e.Property(p => p.ProcessId).ValueGeneratedNever();
    }
}

internal sealed class ItemCopyConfiguration : IEntityTypeConfiguration<ItemCopy>
{
    public void Configure(EntityTypeBuilder<ItemCopy> e)
    {
        e.ToTable("items");
        e.HasKey(i => i.ItemId);
        e.Property(i => i.ItemId).ValueGeneratedNever();
        e.HasIndex(i => i.ProcessId);
        e.Property(i => i.PhaseAsOf).HasDefaultValueSql("'1970-01-01T00:00:00Z'");
    }
}

internal sealed class PhaseCopyConfiguration : IEntityTypeConfiguration<PhaseCopy>
{
    public void Configure(EntityTypeBuilder<PhaseCopy> e)
    {
        e.ToTable("phases");
        e.HasKey(p => p.PhaseId);
        e.Property(p => p.PhaseId).ValueGeneratedNever();
        e.Property(p => p.Version).HasColumnName("xmin").IsRowVersion();
        e.Property(p => p.Visibility).HasMaxLength(20).HasDefaultValue(ProcessVisibilities.Public);
        e.Property(p => p.VisibilityAsOf).HasDefaultValueSql("'1970-01-01T00:00:00Z'");
        e.HasIndex(p => p.ProcessId);
    }
}
