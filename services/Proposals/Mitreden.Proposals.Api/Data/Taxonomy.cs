using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.ServiceDefaults.Districts;

namespace Mitreden.Proposals.Api.Data;

/// <summary>Handlungsfeld: a topic area of the process (e.g. "Smarte Mobilität").</summary>
public sealed class FieldOfAction
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public int Position { get; set; }
}

/// <summary>Querschnittsthema: a theme that runs across all fields of action (e.g. "Digitale Infrastruktur").</summary>
public sealed class CrossCuttingTheme
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public int Position { get; set; }
}

/// <summary>A district of a city; its slug is what tokens and events carry.</summary>
public sealed class District
{
    public Guid Id { get; set; }
    public required string City { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
}

internal sealed class FieldOfActionConfiguration : IEntityTypeConfiguration<FieldOfAction>
{
    public void Configure(EntityTypeBuilder<FieldOfAction> e)
    {
        e.ToTable("fields_of_action");
        e.HasKey(f => f.Id);
        e.Property(f => f.Title).HasMaxLength(200);
        e.Property(f => f.Description).HasMaxLength(5_000);
        e.HasIndex(f => new { f.ProcessId, f.Title }).IsUnique();
    }
}

internal sealed class CrossCuttingThemeConfiguration : IEntityTypeConfiguration<CrossCuttingTheme>
{
    public void Configure(EntityTypeBuilder<CrossCuttingTheme> e)
    {
        e.ToTable("cross_cutting_themes");
        e.HasKey(t => t.Id);
        e.Property(t => t.Title).HasMaxLength(200);
        e.Property(t => t.Description).HasMaxLength(5_000);
        e.HasIndex(t => new { t.ProcessId, t.Title }).IsUnique();
    }
}

internal sealed class DistrictConfiguration : IEntityTypeConfiguration<District>
{
    public void Configure(EntityTypeBuilder<District> e)
    {
        e.ToTable("districts");
        e.HasKey(d => d.Id);
        e.Property(d => d.City).HasMaxLength(100);
        e.Property(d => d.Slug).HasMaxLength(DistrictSlug.MaxLength);
        e.Property(d => d.Name).HasMaxLength(120);
        e.HasIndex(d => new { d.City, d.Slug }).IsUnique();
    }
}
