using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.ServiceDefaults.Districts;

namespace Mitreden.Identity.Api.Data;

/// <summary>Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). Details never hold emails, names or codes.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>Who did it; null for the system itself.</summary>
    public Guid? ActorId { get; set; }
    public required string Action { get; set; }
    public required string TargetType { get; set; }
    public required string TargetId { get; set; }
    /// <summary>JSON object.</summary>
    public string? Details { get; set; }
}

public sealed class UserBlock
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset Until { get; set; }
    public required string Reason { get; set; }
    public Guid? BlockedBy { get; set; }
    public DateTimeOffset BlockedAt { get; set; }
    /// <summary>Moderation's decision id when the block came as a BlockUser command (unique: idempotency).</summary>
    public Guid? DecisionId { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
    public Guid? LiftedBy { get; set; }
}

public sealed class LetterCodeBatch
{
    public Guid Id { get; set; }
    public required string District { get; set; }
    public int CodeCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedBy { get; set; }
    /// <summary>Per-batch salt of the keyed code hashes.</summary>
    public required byte[] Salt { get; set; }
}

public sealed class LetterCode
{
    /// <summary>HMAC-SHA256 of the normalized code; the code itself is never stored.</summary>
    public required byte[] CodeHash { get; set; }
    public Guid BatchId { get; set; }
    /// <summary>Concurrency token: a code is redeemed once, even under concurrent requests.</summary>
    public DateTimeOffset? RedeemedAt { get; set; }
    /// <summary>Cleared when that account is deleted (the code stays used).</summary>
    public Guid? RedeemedBy { get; set; }
}

public sealed class VotingCodeGroup
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public int CodeCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedBy { get; set; }
    public required byte[] Salt { get; set; }
}

public sealed class VotingCode
{
    public required byte[] CodeHash { get; set; }
    public Guid GroupId { get; set; }
    /// <summary>The token subject for this code: random, stable, linked to no account or person.</summary>
    public Guid Subject { get; set; }
    public DateTimeOffset? FirstUsedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<MitredenUser>
{
    public void Configure(EntityTypeBuilder<MitredenUser> e)
    {
        e.Property(u => u.DisplayName).HasMaxLength(MitredenUser.DisplayNameMaxLength);
        e.Property(u => u.ResidentDistrict).HasMaxLength(DistrictSlug.MaxLength);
        e.Ignore(u => u.Verification);
        // Identity's own index is not unique; registrations racing for one address must not both succeed.
        e.HasIndex(u => u.NormalizedEmail).IsUnique();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_log");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).UseIdentityAlwaysColumn();
        e.Property(a => a.Action).HasMaxLength(64);
        e.Property(a => a.TargetType).HasMaxLength(32);
        e.Property(a => a.TargetId).HasMaxLength(64);
        e.Property(a => a.Details).HasColumnType("jsonb");
        e.HasIndex(a => new { a.TargetType, a.TargetId });
        e.HasIndex(a => a.ActorId);
    }
}

internal sealed class UserBlockConfiguration : IEntityTypeConfiguration<UserBlock>
{
    public void Configure(EntityTypeBuilder<UserBlock> e)
    {
        e.ToTable("user_blocks");
        e.HasKey(b => b.Id);
        e.Property(b => b.Reason).HasMaxLength(1000);
        e.HasIndex(b => b.UserId);
        e.HasIndex(b => b.DecisionId).IsUnique().HasFilter("decision_id IS NOT NULL");
        e.HasOne<MitredenUser>().WithMany().HasForeignKey(b => b.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LetterCodeBatchConfiguration : IEntityTypeConfiguration<LetterCodeBatch>
{
    public void Configure(EntityTypeBuilder<LetterCodeBatch> e)
    {
        e.ToTable("letter_code_batches");
        e.HasKey(b => b.Id);
        e.Property(b => b.District).HasMaxLength(DistrictSlug.MaxLength);
    }
}

internal sealed class LetterCodeConfiguration : IEntityTypeConfiguration<LetterCode>
{
    public void Configure(EntityTypeBuilder<LetterCode> e)
    {
        e.ToTable("letter_codes");
        e.HasKey(c => c.CodeHash);
        e.Property(c => c.RedeemedAt).IsConcurrencyToken();
        e.HasIndex(c => c.BatchId);
        e.HasIndex(c => c.RedeemedBy).HasFilter("redeemed_by IS NOT NULL");
        e.HasOne<LetterCodeBatch>().WithMany().HasForeignKey(c => c.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class VotingCodeGroupConfiguration : IEntityTypeConfiguration<VotingCodeGroup>
{
    public void Configure(EntityTypeBuilder<VotingCodeGroup> e)
    {
        e.ToTable("voting_code_groups");
        e.HasKey(g => g.Id);
        e.Property(g => g.Name).HasMaxLength(200);
    }
}

internal sealed class VotingCodeConfiguration : IEntityTypeConfiguration<VotingCode>
{
    public void Configure(EntityTypeBuilder<VotingCode> e)
    {
        e.ToTable("voting_codes");
        e.HasKey(c => c.CodeHash);
        e.HasIndex(c => c.Subject).IsUnique();
        e.HasIndex(c => c.GroupId);
        e.HasOne<VotingCodeGroup>().WithMany().HasForeignKey(c => c.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
