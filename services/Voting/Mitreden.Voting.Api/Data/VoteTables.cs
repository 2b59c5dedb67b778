using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.ServiceDefaults.Districts;

namespace Mitreden.Voting.Api.Data;

// The tables of the vote path. EF Core only creates them (migration); reads and writes go through Npgsql/Dapper
// with batched SQL (Pipeline/VoteBatchWriter.cs). No table holds an account id: voters are keyed by the
// pseudonymous voter key (HMAC of account and ballot).

/// <summary>Every distinct vote message ever consumed (vote_id = primary key, so redeliveries are dropped).</summary>
public sealed class VoteLogRow
{
    public Guid VoteId { get; set; }
    public Guid BallotId { get; set; }
    public required byte[] VoterKey { get; set; }
    public long Sequence { get; set; }
    public required string Choices { get; set; }
    public string? District { get; set; }
    public required byte[] ReceiptHash { get; set; }
    public DateTimeOffset ConsumedAt { get; set; }
    /// <summary>Why the vote was not counted (e.g. "after-close"); null when it took part in the count.</summary>
    public string? RejectedReason { get; set; }
}

/// <summary>The newest vote per voter and ballot: the vote set that the tally and every recount are made of.</summary>
public sealed class CurrentVoteRow
{
    public Guid BallotId { get; set; }
    public required byte[] VoterKey { get; set; }
    public Guid VoteId { get; set; }
    public long Sequence { get; set; }
    public required string Choices { get; set; }
    public string? District { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Live online tally per option, maintained with deltas in the consumer's transaction.</summary>
public sealed class TallyRow
{
    public Guid BallotId { get; set; }
    public Guid OptionId { get; set; }
    public long Score { get; set; }
    public long Votes { get; set; }
}

/// <summary>Ranking ballots: voters preferring winner over loser.</summary>
public sealed class PairwiseRow
{
    public Guid BallotId { get; set; }
    public Guid WinnerId { get; set; }
    public Guid LoserId { get; set; }
    public long Count { get; set; }
}

/// <summary>Voters counted, and distinct vote messages consumed (the close waits until consumed ≥ accepted).</summary>
public sealed class BallotCounterRow
{
    public Guid BallotId { get; set; }
    public long Voters { get; set; }
    public long Consumed { get; set; }
}

/// <summary>
/// Votes accepted (confirmed by the broker, answered 202) per ballot and API process: the close waits until the
/// consumer has taken in as many (see AcceptedVotes). One row per process, so processes never wait on each other.
/// </summary>
public sealed class VoteAcceptanceRow
{
    public Guid BallotId { get; set; }
    public Guid InstanceId { get; set; }
    public long Accepted { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class VoteTablesConfiguration :
    IEntityTypeConfiguration<VoteLogRow>, IEntityTypeConfiguration<CurrentVoteRow>, IEntityTypeConfiguration<TallyRow>,
    IEntityTypeConfiguration<PairwiseRow>, IEntityTypeConfiguration<BallotCounterRow>, IEntityTypeConfiguration<VoteAcceptanceRow>
{
    public void Configure(EntityTypeBuilder<VoteLogRow> e)
    {
        e.ToTable("vote_log");
        e.HasKey(v => v.VoteId);
        e.Property(v => v.VoteId).HasColumnName("vote_id");
        e.Property(v => v.BallotId).HasColumnName("ballot_id");
        e.Property(v => v.VoterKey).HasColumnName("voter_key");
        e.Property(v => v.Sequence).HasColumnName("sequence");
        e.Property(v => v.Choices).HasColumnName("choices");
        e.Property(v => v.District).HasColumnName("district").HasMaxLength(DistrictSlug.MaxLength);
        e.Property(v => v.ReceiptHash).HasColumnName("receipt_hash");
        e.Property(v => v.ConsumedAt).HasColumnName("consumed_at");
        e.Property(v => v.RejectedReason).HasColumnName("rejected_reason").HasMaxLength(50);
        e.HasIndex(v => v.ReceiptHash).HasDatabaseName("ix_vote_log_receipt_hash");
        e.HasIndex(v => new { v.BallotId, v.VoterKey }).HasDatabaseName("ix_vote_log_ballot_voter");
    }

    public void Configure(EntityTypeBuilder<CurrentVoteRow> e)
    {
        e.ToTable("current_votes");
        e.HasKey(v => new { v.BallotId, v.VoterKey });
        e.Property(v => v.BallotId).HasColumnName("ballot_id");
        e.Property(v => v.VoterKey).HasColumnName("voter_key");
        e.Property(v => v.VoteId).HasColumnName("vote_id");
        e.Property(v => v.Sequence).HasColumnName("sequence");
        e.Property(v => v.Choices).HasColumnName("choices");
        e.Property(v => v.District).HasColumnName("district").HasMaxLength(DistrictSlug.MaxLength);
        e.Property(v => v.UpdatedAt).HasColumnName("updated_at");
    }

    public void Configure(EntityTypeBuilder<TallyRow> e)
    {
        e.ToTable("tallies");
        e.HasKey(t => new { t.BallotId, t.OptionId });
        e.Property(t => t.BallotId).HasColumnName("ballot_id");
        e.Property(t => t.OptionId).HasColumnName("option_id");
        e.Property(t => t.Score).HasColumnName("score");
        e.Property(t => t.Votes).HasColumnName("votes");
    }

    public void Configure(EntityTypeBuilder<PairwiseRow> e)
    {
        e.ToTable("pairwise_tallies");
        e.HasKey(t => new { t.BallotId, t.WinnerId, t.LoserId });
        e.Property(t => t.BallotId).HasColumnName("ballot_id");
        e.Property(t => t.WinnerId).HasColumnName("winner_id");
        e.Property(t => t.LoserId).HasColumnName("loser_id");
        e.Property(t => t.Count).HasColumnName("count");
    }

    public void Configure(EntityTypeBuilder<BallotCounterRow> e)
    {
        e.ToTable("ballot_counters");
        e.HasKey(t => t.BallotId);
        e.Property(t => t.BallotId).HasColumnName("ballot_id");
        e.Property(t => t.Voters).HasColumnName("voters");
        e.Property(t => t.Consumed).HasColumnName("consumed");
    }

    public void Configure(EntityTypeBuilder<VoteAcceptanceRow> e)
    {
        e.ToTable("vote_acceptance");
        e.HasKey(t => new { t.BallotId, t.InstanceId });
        e.Property(t => t.BallotId).HasColumnName("ballot_id");
        e.Property(t => t.InstanceId).HasColumnName("instance_id");
        e.Property(t => t.Accepted).HasColumnName("accepted");
        e.Property(t => t.UpdatedAt).HasColumnName("updated_at");
    }
}
