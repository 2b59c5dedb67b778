using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mitreden.Comments.Api.Data;

/// <summary>What Identity told us about a user: blocks, deletion and display-name changes.</summary>
public sealed class UserCopy
{
    public const int MaxBlockReasonLength = 2000;

    public Guid UserId { get; set; }
    public string? DisplayName { get; set; }
    public DateTimeOffset? DisplayNameAsOf { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
    public string? BlockReason { get; set; }
    /// <summary>Time of the last block/unblock event applied; older ones are ignored.</summary>
    public DateTimeOffset? BlockAsOf { get; set; }
    /// <summary>Kept so that a token issued before the deletion cannot post any more.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
    public uint Version { get; set; }
}

internal sealed class UserCopyConfiguration : IEntityTypeConfiguration<UserCopy>
{
    public void Configure(EntityTypeBuilder<UserCopy> e)
    {
        e.ToTable("users");
        e.HasKey(u => u.UserId);
        e.Property(u => u.UserId).ValueGeneratedNever();
        e.Property(u => u.DisplayName).HasMaxLength(Comment.MaxNameLength);
        e.Property(u => u.BlockReason).HasMaxLength(UserCopy.MaxBlockReasonLength);
        e.Property(u => u.Version).HasColumnName("xmin").IsRowVersion();
    }
}
