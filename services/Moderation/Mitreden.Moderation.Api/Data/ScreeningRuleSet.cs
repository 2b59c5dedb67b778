using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Data;

/// <summary>Screening rules edited by staff, for one process or (ProcessId null) for all processes.</summary>
public sealed class ScreeningRuleSet
{
    public Guid Id { get; set; }
    public Guid? ProcessId { get; set; }
    /// <summary>The rules as JSON (see Features/Screening/ScreeningRules).</summary>
    public required string Rules { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid UpdatedBy { get; set; }
}

internal sealed class ScreeningRuleSetConfiguration : IEntityTypeConfiguration<ScreeningRuleSet>
{
    public void Configure(EntityTypeBuilder<ScreeningRuleSet> e)
    {
        e.ToTable("screening_rules");
        e.HasKey(s => s.Id);
        e.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        e.Property(s => s.ProcessId).HasColumnName("process_id");
        e.Property(s => s.Rules).HasColumnName("rules").HasColumnType("jsonb");
        e.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        e.Property(s => s.UpdatedBy).HasColumnName("updated_by");
        // One global row (process_id NULL) and at most one per process.
        e.HasIndex(s => s.ProcessId).IsUnique().AreNullsDistinct(false).HasDatabaseName("ux_screening_rules_process");
    }
}
