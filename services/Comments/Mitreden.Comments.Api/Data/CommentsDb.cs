using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Comments.Api.Data;

public sealed class CommentsDb(DbContextOptions<CommentsDb> options) : DbContext(options)
{
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<CommentRevision> Revisions => Set<CommentRevision>();
    public DbSet<CommentUpvote> Upvotes => Set<CommentUpvote>();
    public DbSet<CommentReport> Reports => Set<CommentReport>();
    public DbSet<ModerationDecision> Decisions => Set<ModerationDecision>();
    public DbSet<ItemCopy> Items => Set<ItemCopy>();
    public DbSet<PhaseCopy> Phases => Set<PhaseCopy>();
    public DbSet<ProcessRulesCopy> ProcessRules => Set<ProcessRulesCopy>();
    public DbSet<ProcessVisibilityCopy> ProcessVisibility => Set<ProcessVisibilityCopy>();
    public DbSet<UserCopy> Users => Set<UserCopy>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMitredenMessaging();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CommentsDb).Assembly);

        // snake_case columns for every property not named explicitly, so hand-written SQL reads naturally.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(SnakeCase(property.Name));
                }
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}

/// <summary>Used only by <c>dotnet ef</c> to build migrations; never at run time.</summary>
internal sealed class CommentsDbDesignTimeFactory : IDesignTimeDbContextFactory<CommentsDb>
{
    public CommentsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CommentsDb>().UseNpgsql("Host=127.0.0.1;Database=design_time_only").Options);
}
