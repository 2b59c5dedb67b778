using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Identity.Api.Data;

using Mitreden.Proposals.Contracts;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>A person follows a process: they hear of its ballots, phases, results and news.</summary>
public sealed class ProcessFollow
{
    public Guid UserId { get; set; }
    public Guid ProcessId { get; set; }
    public DateTimeOffset FollowedAt { get; set; }
}

/// <summary>A person's own choice for one kind; without a row the kind's default applies.</summary>
public sealed class NotificationSetting
{
    public Guid UserId { get; set; }
    public required string Kind { get; set; }
    public required string Mode { get; set; }
}

/// <summary>
/// Identity's copy of a phase's visibility (PhaseVisibilityChanged, the latest wins; applied through the contracts'
/// <see cref="PhaseVisibilityCopy"/>). Its process's copy is a <see cref="ProcessVisibilityCopy"/> (table
/// process_audiences): a process without one is unknown here, so nobody but staff is told about it (fail closed) and
/// nobody can follow it.
/// </summary>
public sealed class PhaseAudience
{
    public Guid PhaseId { get; set; }
    public Guid ProcessId { get; set; }
    public required string Visibility { get; set; }
    public DateTimeOffset AsOf { get; set; }
}

/// <summary>
/// One thing to tell one person, written by the consumer of the event that caused it. Unique per (recipient, kind,
/// source), so an event delivered again adds nothing; the background sender marks it sent, or moves its due time
/// on when the mail server fails. Holds no address: the recipient's current one is looked up when sending.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public Guid RecipientId { get; set; }
    public required string Kind { get; set; }
    /// <summary>The thing the event is about (comment, decision, ballot, phase, news post).</summary>
    public Guid SourceId { get; set; }
    public Guid? ProcessId { get; set; }
    /// <summary>What the mail names (a ballot's, phase's or news post's title; the reason of a decision).</summary>
    public required string Title { get; set; }
    /// <summary>More text for the mail (a moderator's note to the author); null when there is none.</summary>
    public string? Detail { get; set; }
    /// <summary>A moderation decision's reason code; null otherwise.</summary>
    public string? Reason { get; set; }
    /// <summary>The web's path to link to, e.g. /abstimmungen/{id}.</summary>
    public required string LinkPath { get; set; }
    public bool Digest { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Not before: now for immediate mails, the next digest hour for the digest, later after a failure.</summary>
    public DateTimeOffset DueAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>"sent", or why nothing was sent (the kind was turned off, the address is unconfirmed, the account is gone).</summary>
    public string? Outcome { get; set; }
}

internal sealed class ProcessFollowConfiguration : IEntityTypeConfiguration<ProcessFollow>
{
    public void Configure(EntityTypeBuilder<ProcessFollow> e)
    {
        e.ToTable("process_follows");
        e.HasKey(f => new { f.UserId, f.ProcessId });
        e.HasIndex(f => f.ProcessId);
        e.HasOne<MitredenUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationSettingConfiguration : IEntityTypeConfiguration<NotificationSetting>
{
    public void Configure(EntityTypeBuilder<NotificationSetting> e)
    {
        e.ToTable("notification_settings");
        e.HasKey(s => new { s.UserId, s.Kind });
        e.Property(s => s.Kind).HasMaxLength(32);
        e.Property(s => s.Mode).HasMaxLength(16);
        e.HasOne<MitredenUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProcessAudienceConfiguration : IEntityTypeConfiguration<ProcessVisibilityCopy>
{
    public void Configure(EntityTypeBuilder<ProcessVisibilityCopy> e)
    {
        e.ToTable("process_audiences");
        e.HasKey(a => a.ProcessId);
        e.Property(a => a.ProcessId).ValueGeneratedNever();
        e.Property(a => a.Visibility).HasMaxLength(16);
    }
}

internal sealed class PhaseAudienceConfiguration : IEntityTypeConfiguration<PhaseAudience>
{
    public void Configure(EntityTypeBuilder<PhaseAudience> e)
    {
        e.ToTable("phase_audiences");
        e.HasKey(a => a.PhaseId);
        e.Property(a => a.PhaseId).ValueGeneratedNever();
        e.Property(a => a.Visibility).HasMaxLength(16);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.ToTable("notifications");
        e.HasKey(n => n.Id);
        e.Property(n => n.Id).UseIdentityAlwaysColumn();
        e.Property(n => n.Kind).HasMaxLength(32);
        e.Property(n => n.Title).HasMaxLength(500);
        e.Property(n => n.Detail).HasMaxLength(2000);
        e.Property(n => n.LinkPath).HasMaxLength(200);
        e.Property(n => n.Reason).HasMaxLength(32);
        e.Property(n => n.Outcome).HasMaxLength(32);
        e.HasIndex(n => new { n.RecipientId, n.Kind, n.SourceId }).IsUnique();
        e.HasIndex(n => n.DueAt).HasFilter("sent_at IS NULL");
        e.HasOne<MitredenUser>().WithMany().HasForeignKey(n => n.RecipientId).OnDelete(DeleteBehavior.Cascade);
    }
}
