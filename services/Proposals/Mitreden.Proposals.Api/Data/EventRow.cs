using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Districts;

namespace Mitreden.Proposals.Api.Data;

/// <summary>An event of a process. The HTML of description and minutes is rendered once when they are written.</summary>
public sealed class EventRow
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public required string DescriptionHtml { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public string? Place { get; set; }
    public string? OnlineUrl { get; set; }
    public Guid? PhaseId { get; set; }
    /// <summary>District slug (of the process's city) or null.</summary>
    public string? District { get; set; }
    /// <summary>Where the event takes place on the map (WGS 84), both or neither.</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public List<Guid> FieldOfActionIds { get; set; } = [];
    public bool Registration { get; set; }
    public int? Capacity { get; set; }
    public bool Cancelled { get; set; }
    public string? Minutes { get; set; }
    public string? MinutesHtml { get; set; }
    /// <summary>Counts the changes that calendars must pick up (the iCalendar SEQUENCE).</summary>
    public int Revision { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>
/// A person's registration: the account and the display name the token carried when they registered (for the
/// sign-in sheet; Proposals keeps no other personal data). A cancelled registration is deleted, not marked.
/// </summary>
public sealed class EventRegistrationRow
{
    public Guid EventId { get; set; }
    public Guid AccountId { get; set; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
}

internal sealed class EventRowConfiguration : IEntityTypeConfiguration<EventRow>
{
    public void Configure(EntityTypeBuilder<EventRow> e)
    {
        e.ToTable("events", t =>
        {
            t.HasCheckConstraint("ck_events_ends_after_start", "ends_at > starts_at");
            t.HasCheckConstraint("ck_events_location", "(latitude IS NULL) = (longitude IS NULL)");
        });
        e.Property(x => x.District).HasMaxLength(DistrictSlug.MaxLength);
        e.HasKey(x => x.Id);
        e.Property(x => x.Title).HasMaxLength(EventLimits.TitleMax);
        e.Property(x => x.Description).HasMaxLength(EventLimits.DescriptionMax);
        e.Property(x => x.Place).HasMaxLength(EventLimits.PlaceMax);
        e.Property(x => x.OnlineUrl).HasMaxLength(EventLimits.OnlineUrlMax);
        e.Property(x => x.Minutes).HasMaxLength(EventLimits.MinutesMax);
        e.HasOne<Process>().WithMany().HasForeignKey(x => x.ProcessId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Phase>().WithMany().HasForeignKey(x => x.PhaseId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(x => new { x.ProcessId, x.StartsAt });
    }
}

internal sealed class EventRegistrationRowConfiguration : IEntityTypeConfiguration<EventRegistrationRow>
{
    public void Configure(EntityTypeBuilder<EventRegistrationRow> e)
    {
        e.ToTable("event_registrations");
        e.HasKey(x => new { x.EventId, x.AccountId });
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Status).HasMaxLength(20);
        e.HasOne<EventRow>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.AccountId);
        e.HasIndex(x => new { x.EventId, x.Status, x.RegisteredAt });
    }
}
