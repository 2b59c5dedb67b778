using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Data;

public sealed class ModerationDb(DbContextOptions<ModerationDb> options) : DbContext(options)
{
    public DbSet<ModeratedComment> Comments => Set<ModeratedComment>();
    public DbSet<CommentFlag> Flags => Set<CommentFlag>();
    public DbSet<CommentReport> Reports => Set<CommentReport>();
    public DbSet<ModerationDecision> Decisions => Set<ModerationDecision>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ScreeningRuleSet> ScreeningRules => Set<ScreeningRuleSet>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMitredenMessaging();
        modelBuilder.AddRefusedSubjects();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ModerationDb).Assembly);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RejectAuditChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RejectAuditChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    // The audit log is append-only; the database trigger is the second line of defence.
    private void RejectAuditChanges()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("The audit log is append-only.");
        }
    }
}

/// <summary>Used only by <c>dotnet ef</c> to build migrations; never at run time.</summary>
internal sealed class ModerationDbDesignTimeFactory : IDesignTimeDbContextFactory<ModerationDb>
{
    public ModerationDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ModerationDb>().UseNpgsql("Host=127.0.0.1;Database=design_time_only").Options);
}
