using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.ServiceDefaults.Districts;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Data;

/// <summary>Stored life cycle. Whether a published ballot is scheduled, open or past its end follows from its times.</summary>
public enum BallotStatus
{
    Draft,
    Published,
    /// <summary>Past its end; the final count is waiting for the last accepted votes to be consumed.</summary>
    Closing,
    Closed,
}

public sealed class Ballot
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public Guid? PhaseId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public VotingMethod Method { get; set; }
    public int? MinSelections { get; set; }
    public int? MaxSelections { get; set; }
    public int? MaxScore { get; set; }
    public int? Dots { get; set; }
    public int? MaxDotsPerOption { get; set; }
    public decimal? Budget { get; set; }
    public bool AllowPartialRanking { get; set; }
    public EligibilityKind Eligibility { get; set; }
    public string? EligibleDistrict { get; set; }
    public Guid? VotingGroupId { get; set; }
    public string? VotingGroupName { get; set; }
    public ResultVisibility Visibility { get; set; }
    /// <summary>Opens and closes with its phase (times copied from PhaseStarted/PhaseEnded) instead of its own times.</summary>
    public bool FollowsPhase { get; set; }
    public DateTimeOffset? OpensAt { get; set; }
    public DateTimeOffset? ClosesAt { get; set; }
    public BallotStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid CreatedBy { get; set; }
    /// <summary>When an instance took on the final count; a stale claim is taken over by another instance.</summary>
    public DateTimeOffset? CloseClaimedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public long? FinalVotes { get; set; }
    public string? FinalDigest { get; set; }
    /// <summary>The published result (JSON of ResultPublished.Options), stored at close and replaced by a correction.</summary>
    public string? FinalResult { get; set; }
    /// <summary>Version of the published result: 1 at close, +1 per correction (see <see cref="ResultVersion"/>).</summary>
    public int? ResultVersion { get; set; }
    /// <summary>When the latest correction was made; null while the result is the one of the close.</summary>
    public DateTimeOffset? ResultCorrectedAt { get; set; }
    public List<BallotOption> Options { get; set; } = [];
}

public sealed class BallotOption
{
    public Guid BallotId { get; set; }
    /// <summary>The item id for options that are Proposals items, otherwise a new id.</summary>
    public Guid OptionId { get; set; }
    public Guid? ItemId { get; set; }
    public required string Title { get; set; }
    public decimal? Cost { get; set; }
    public int Position { get; set; }
}

internal sealed class BallotConfiguration : IEntityTypeConfiguration<Ballot>
{
    public void Configure(EntityTypeBuilder<Ballot> e)
    {
        e.ToTable("ballots");
        e.HasKey(b => b.Id);
        e.Property(b => b.Id).HasColumnName("id");
        e.Property(b => b.ProcessId).HasColumnName("process_id");
        e.Property(b => b.PhaseId).HasColumnName("phase_id");
        e.Property(b => b.Title).HasColumnName("title").HasMaxLength(300);
        e.Property(b => b.Description).HasColumnName("description").HasMaxLength(10_000);
        e.Property(b => b.Method).HasColumnName("method").HasConversion<string>().HasMaxLength(20);
        e.Property(b => b.MinSelections).HasColumnName("min_selections");
        e.Property(b => b.MaxSelections).HasColumnName("max_selections");
        e.Property(b => b.MaxScore).HasColumnName("max_score");
        e.Property(b => b.Dots).HasColumnName("dots");
        e.Property(b => b.MaxDotsPerOption).HasColumnName("max_dots_per_option");
        e.Property(b => b.Budget).HasColumnName("budget").HasPrecision(18, 2);
        e.Property(b => b.AllowPartialRanking).HasColumnName("allow_partial_ranking");
        e.Property(b => b.Eligibility).HasColumnName("eligibility").HasConversion<string>().HasMaxLength(20);
        e.Property(b => b.EligibleDistrict).HasColumnName("eligible_district").HasMaxLength(DistrictSlug.MaxLength);
        e.Property(b => b.VotingGroupId).HasColumnName("voting_group_id");
        e.Property(b => b.VotingGroupName).HasColumnName("voting_group_name").HasMaxLength(200);
        e.Property(b => b.Visibility).HasColumnName("visibility").HasConversion<string>().HasMaxLength(20);
        e.Property(b => b.FollowsPhase).HasColumnName("follows_phase");
        e.Property(b => b.OpensAt).HasColumnName("opens_at");
        e.Property(b => b.ClosesAt).HasColumnName("closes_at");
        e.Property(b => b.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        e.Property(b => b.CreatedAt).HasColumnName("created_at");
        e.Property(b => b.UpdatedAt).HasColumnName("updated_at");
        e.Property(b => b.CreatedBy).HasColumnName("created_by");
        e.Property(b => b.CloseClaimedAt).HasColumnName("close_claimed_at");
        e.Property(b => b.ClosedAt).HasColumnName("closed_at");
        e.Property(b => b.FinalVotes).HasColumnName("final_votes");
        e.Property(b => b.FinalDigest).HasColumnName("final_digest").HasMaxLength(64);
        e.Property(b => b.FinalResult).HasColumnName("final_result").HasColumnType("jsonb");
        e.Property(b => b.ResultVersion).HasColumnName("result_version");
        e.Property(b => b.ResultCorrectedAt).HasColumnName("result_corrected_at");
        e.HasIndex(b => b.ProcessId);
        e.HasIndex(b => b.PhaseId);
        e.HasIndex(b => new { b.Status, b.ClosesAt });
        e.HasMany(b => b.Options).WithOne().HasForeignKey(o => o.BallotId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BallotOptionConfiguration : IEntityTypeConfiguration<BallotOption>
{
    public void Configure(EntityTypeBuilder<BallotOption> e)
    {
        e.ToTable("ballot_options");
        e.HasKey(o => new { o.BallotId, o.OptionId });
        e.Property(o => o.BallotId).HasColumnName("ballot_id");
        e.Property(o => o.OptionId).HasColumnName("option_id");
        e.Property(o => o.ItemId).HasColumnName("item_id");
        e.Property(o => o.Title).HasColumnName("title").HasMaxLength(300);
        e.Property(o => o.Cost).HasColumnName("cost").HasPrecision(18, 2);
        e.Property(o => o.Position).HasColumnName("position");
        e.HasIndex(o => o.ItemId);
    }
}
