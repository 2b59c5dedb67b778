using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Proposals.Api.Data;

/// <summary>
/// A phase of a process. Which phase is current follows from the clock alone (StartsAt ≤ now &lt; EndsAt; phases of a
/// process never overlap). <see cref="StartedAt"/>/<see cref="EndedAt"/> record that PhaseStarted/PhaseEnded went out,
/// so each transition is announced exactly once, whoever notices it first.
/// </summary>
public sealed class Phase
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public bool Proposing { get; set; }
    public bool Commenting { get; set; }
    public bool PreModeration { get; set; }
    public bool Voting { get; set; }
    public bool ResultsVisible { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>
    /// Who may see the phase and everything belonging to it, on top of the process's visibility (the stricter wins):
    /// one of <see cref="ProcessVisibilities"/>; members-only means the process's members.
    /// </summary>
    public string Visibility { get; set; } = ProcessVisibilities.Public;

    public PhaseSwitches Switches
    {
        get => new(Proposing, Commenting, PreModeration, Voting, ResultsVisible);
        set => (Proposing, Commenting, PreModeration, Voting, ResultsVisible) =
            (value.Proposing, value.Commenting, value.PreModeration, value.Voting, value.ResultsVisible);
    }

    public bool IsCurrent(DateTimeOffset now) => StartsAt <= now && now < EndsAt;

    /// <summary>PhaseStarted went out and PhaseEnded not yet.</summary>
    public bool IsAnnouncedRunning => StartedAt is not null && EndedAt is null;
}

internal sealed class PhaseConfiguration : IEntityTypeConfiguration<Phase>
{
    public void Configure(EntityTypeBuilder<Phase> e)
    {
        e.ToTable("phases");
        e.HasKey(p => p.Id);
        e.Property(p => p.Title).HasMaxLength(200);
        e.Property(p => p.Description).HasMaxLength(5_000);
        e.Property(p => p.Kind).HasMaxLength(40);
        e.Property(p => p.Visibility).HasMaxLength(20).HasDefaultValue(ProcessVisibilities.Public);
        e.Ignore(p => p.Switches);
        e.Ignore(p => p.IsAnnouncedRunning);
        e.HasIndex(p => new { p.ProcessId, p.StartsAt });
        e.ToTable(t => t.HasCheckConstraint("ck_phases_time", "ends_at > starts_at"));
    }
}
