using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mitreden.Voting.Api.Data;

/// <summary>
/// An import of in-person results (workshop dots, paper ballots). Never changed or deleted: a correction is a
/// new entry that supersedes it, so the history stays visible.
/// </summary>
public sealed class InPersonEntry
{
    public Guid Id { get; set; }
    public Guid BallotId { get; set; }
    public required string Source { get; set; }
    public string? Note { get; set; }
    public int? Participants { get; set; }
    /// <summary>JSON array of {optionId, value}.</summary>
    public required string Lines { get; set; }
    public Guid? SupersedesId { get; set; }
    public Guid? SupersededById { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A recount: the tally recomputed from all stored votes, compared with the live tally.</summary>
public sealed class RecountRun
{
    public Guid Id { get; set; }
    public Guid BallotId { get; set; }
    /// <summary>"manual" (staff) or "final" (at close).</summary>
    public required string Kind { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public long Votes { get; set; }
    public bool Matches { get; set; }
    public required string Digest { get; set; }
    /// <summary>Readable differences (option ids and numbers only, no personal data); empty when it matches.</summary>
    public string? Differences { get; set; }
    public Guid? RequestedBy { get; set; }
}

internal sealed class InPersonEntryConfiguration : IEntityTypeConfiguration<InPersonEntry>
{
    public void Configure(EntityTypeBuilder<InPersonEntry> e)
    {
        e.ToTable("in_person_entries");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id");
        e.Property(x => x.BallotId).HasColumnName("ballot_id");
        e.Property(x => x.Source).HasColumnName("source").HasMaxLength(200);
        e.Property(x => x.Note).HasColumnName("note").HasMaxLength(2000);
        e.Property(x => x.Participants).HasColumnName("participants");
        e.Property(x => x.Lines).HasColumnName("lines").HasColumnType("jsonb");
        e.Property(x => x.SupersedesId).HasColumnName("supersedes_id");
        e.Property(x => x.SupersededById).HasColumnName("superseded_by_id");
        e.Property(x => x.CreatedBy).HasColumnName("created_by");
        e.Property(x => x.CreatedAt).HasColumnName("created_at");
        e.HasIndex(x => x.BallotId);
        e.HasIndex(x => x.SupersedesId).IsUnique();
    }
}

internal sealed class RecountRunConfiguration : IEntityTypeConfiguration<RecountRun>
{
    public void Configure(EntityTypeBuilder<RecountRun> e)
    {
        e.ToTable("recount_runs");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id");
        e.Property(x => x.BallotId).HasColumnName("ballot_id");
        e.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(20);
        e.Property(x => x.StartedAt).HasColumnName("started_at");
        e.Property(x => x.FinishedAt).HasColumnName("finished_at");
        e.Property(x => x.Votes).HasColumnName("votes");
        e.Property(x => x.Matches).HasColumnName("matches");
        e.Property(x => x.Digest).HasColumnName("digest").HasMaxLength(64);
        e.Property(x => x.Differences).HasColumnName("differences");
        e.Property(x => x.RequestedBy).HasColumnName("requested_by");
        e.HasIndex(x => x.BallotId);
    }
}
