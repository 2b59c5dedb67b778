using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Districts;
using NpgsqlTypes;

namespace Mitreden.Proposals.Api.Data;

/// <summary>
/// Content of a process: vision, guiding goal, measure, scenario (official, written by staff) or citizen idea.
/// Measures carry monitoring after the process (status, progress, responsible office, milestones).
/// </summary>
public sealed class Item
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public bool Official { get; set; }
    public Guid? AuthorId { get; set; }
    public string? AuthorName { get; set; }
    /// <summary>District slug (of the process's city) or null.</summary>
    public string? District { get; set; }
    public Guid? ParentId { get; set; }
    /// <summary>The phase the item belongs to (e.g. a workshop's results), or null; the item follows the phase's visibility.</summary>
    public Guid? PhaseId { get; set; }
    /// <summary>Where the item is on the map (WGS 84), both or neither; inside the city's area (<c>LocationRules</c>).</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public Priority? Priority { get; set; }
    public decimal? CostEstimate { get; set; }
    public required string Status { get; set; }
    public string? PublicAnswer { get; set; }
    /// <summary>Set once staff gave a status other than the initial one or a public answer; the author may no longer edit.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }
    /// <summary>Staff only; never leaves the service for anyone else.</summary>
    public string? InternalNote { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When ItemPublished went out; null for official items of a draft process.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    public MonitoringStatus? MonitoringStatus { get; set; }
    public int? ProgressPercent { get; set; }
    public string? ResponsibleOffice { get; set; }
    public DateTimeOffset? MonitoringUpdatedAt { get; set; }

    public NpgsqlTsVector SearchVector { get; set; } = null!;

    public List<ItemFieldOfAction> FieldsOfAction { get; set; } = [];
    public List<ItemTheme> Themes { get; set; } = [];
    public List<Milestone> Milestones { get; set; } = [];
    public List<ItemComment> Comments { get; set; } = [];
    public List<ItemSupport> Supports { get; set; } = [];
}

public sealed class ItemFieldOfAction
{
    public Guid ItemId { get; set; }
    public Guid FieldOfActionId { get; set; }
}

public sealed class ItemTheme
{
    public Guid ItemId { get; set; }
    public Guid ThemeId { get; set; }
}

internal sealed class ItemConfiguration : IEntityTypeConfiguration<Item>
{
    public void Configure(EntityTypeBuilder<Item> e)
    {
        e.ToTable("items");
        e.HasKey(i => i.Id);
        e.Property(i => i.Kind).HasMaxLength(40);
        e.Property(i => i.Title).HasMaxLength(300);
        e.Property(i => i.Description).HasMaxLength(20_000);
        e.Property(i => i.AuthorName).HasMaxLength(200);
        e.Property(i => i.District).HasMaxLength(DistrictSlug.MaxLength);
        e.Property(i => i.Priority).HasConversion<KebabEnumConverter<Priority>>().HasMaxLength(20);
        e.Property(i => i.CostEstimate).HasPrecision(16, 2);
        e.Property(i => i.Status).HasMaxLength(40);
        e.Property(i => i.PublicAnswer).HasMaxLength(10_000);
        e.Property(i => i.InternalNote).HasMaxLength(10_000);
        e.Property(i => i.MonitoringStatus).HasConversion<KebabEnumConverter<MonitoringStatus>>().HasMaxLength(30);
        e.Property(i => i.ResponsibleOffice).HasMaxLength(200);
        e.ToTable(t => t.HasCheckConstraint("ck_items_progress", "progress_percent IS NULL OR progress_percent BETWEEN 0 AND 100"));
        e.ToTable(t => t.HasCheckConstraint("ck_items_location", "(latitude IS NULL) = (longitude IS NULL)"));

        // Full-text search: German stemming over title and description, kept up to date by PostgreSQL itself.
        e.HasGeneratedTsVectorColumn(i => i.SearchVector, "german", i => new { i.Title, i.Description })
            .HasIndex(i => i.SearchVector).HasMethod("GIN");

        e.HasOne<Process>().WithMany().HasForeignKey(i => i.ProcessId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Item>().WithMany().HasForeignKey(i => i.ParentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Phase>().WithMany().HasForeignKey(i => i.PhaseId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(i => new { i.ProcessId, i.CreatedAt });
        e.HasIndex(i => new { i.ProcessId, i.Kind });
        e.HasIndex(i => i.ParentId);

        e.HasMany(i => i.FieldsOfAction).WithOne().HasForeignKey(f => f.ItemId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(i => i.Themes).WithOne().HasForeignKey(t => t.ItemId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(i => i.Milestones).WithOne().HasForeignKey(m => m.ItemId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(i => i.Comments).WithOne().HasForeignKey(c => c.ItemId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(i => i.Supports).WithOne().HasForeignKey(s => s.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ItemFieldOfActionConfiguration : IEntityTypeConfiguration<ItemFieldOfAction>
{
    public void Configure(EntityTypeBuilder<ItemFieldOfAction> e)
    {
        e.ToTable("item_fields_of_action");
        e.HasKey(x => new { x.ItemId, x.FieldOfActionId });
        e.HasOne<FieldOfAction>().WithMany().HasForeignKey(x => x.FieldOfActionId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => x.FieldOfActionId);
    }
}

internal sealed class ItemThemeConfiguration : IEntityTypeConfiguration<ItemTheme>
{
    public void Configure(EntityTypeBuilder<ItemTheme> e)
    {
        e.ToTable("item_themes");
        e.HasKey(x => new { x.ItemId, x.ThemeId });
        e.HasOne<CrossCuttingTheme>().WithMany().HasForeignKey(x => x.ThemeId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => x.ThemeId);
    }
}
