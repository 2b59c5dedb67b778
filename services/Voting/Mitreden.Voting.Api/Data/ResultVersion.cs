using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mitreden.Voting.Api.Data;

/// <summary>
/// One published version of a closed ballot's result. Version 1 is written at close; each correction by staff adds
/// the next one with its reason, who made it and the digest before and after. Rows are never changed or deleted.
/// </summary>
public sealed class ResultVersion
{
    public Guid BallotId { get; set; }
    public int Version { get; set; }
    /// <summary>"final" (the close) or "correction".</summary>
    public required string Kind { get; set; }
    public required string Digest { get; set; }
    /// <summary>The digest of the version this one replaced (null for version 1).</summary>
    public string? PreviousDigest { get; set; }
    /// <summary>JSON of ResultPublished.Options as published with this version.</summary>
    public required string Result { get; set; }
    public long Votes { get; set; }
    public long InPersonParticipants { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The staff member who made the correction (null for the close).</summary>
    public Guid? CreatedBy { get; set; }
    public string? Reason { get; set; }
    /// <summary>The in-person entry the correction added.</summary>
    public Guid? InPersonEntryId { get; set; }
}

internal sealed class ResultVersionConfiguration : IEntityTypeConfiguration<ResultVersion>
{
    public void Configure(EntityTypeBuilder<ResultVersion> e)
    {
        e.ToTable("result_versions");
        e.HasKey(x => new { x.BallotId, x.Version });
        e.Property(x => x.BallotId).HasColumnName("ballot_id");
        e.Property(x => x.Version).HasColumnName("version");
        e.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(20);
        e.Property(x => x.Digest).HasColumnName("digest").HasMaxLength(64);
        e.Property(x => x.PreviousDigest).HasColumnName("previous_digest").HasMaxLength(64);
        e.Property(x => x.Result).HasColumnName("result").HasColumnType("jsonb");
        e.Property(x => x.Votes).HasColumnName("votes");
        e.Property(x => x.InPersonParticipants).HasColumnName("in_person_participants");
        e.Property(x => x.CreatedAt).HasColumnName("created_at");
        e.Property(x => x.CreatedBy).HasColumnName("created_by");
        e.Property(x => x.Reason).HasColumnName("reason").HasMaxLength(2000);
        e.Property(x => x.InPersonEntryId).HasColumnName("in_person_entry_id");
    }
}
