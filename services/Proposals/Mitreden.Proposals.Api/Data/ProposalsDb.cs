using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore.Design;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Data;

public sealed class ProposalsDb(DbContextOptions<ProposalsDb> options) : DbContext(options)
{
    public DbSet<Process> Processes => Set<Process>();
    public DbSet<ProcessMember> ProcessMembers => Set<ProcessMember>();
    public DbSet<ItemStatusOption> ItemStatusOptions => Set<ItemStatusOption>();
    public DbSet<Phase> Phases => Set<Phase>();
    public DbSet<FieldOfAction> FieldsOfAction => Set<FieldOfAction>();
    public DbSet<CrossCuttingTheme> Themes => Set<CrossCuttingTheme>();
    public DbSet<District> Districts => Set<District>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<ItemFieldOfAction> ItemFieldsOfAction => Set<ItemFieldOfAction>();
    public DbSet<ItemTheme> ItemThemes => Set<ItemTheme>();
    public DbSet<Milestone> Milestones => Set<Milestone>();
    public DbSet<MonitoringEntry> MonitoringEntries => Set<MonitoringEntry>();
    public DbSet<ItemComment> ItemComments => Set<ItemComment>();
    public DbSet<ItemSupport> ItemSupports => Set<ItemSupport>();
    public DbSet<NewsPostRow> NewsPosts => Set<NewsPostRow>();
    public DbSet<DocumentRow> Documents => Set<DocumentRow>();
    public DbSet<DocumentContent> DocumentContents => Set<DocumentContent>();
    public DbSet<EventRow> Events => Set<EventRow>();
    public DbSet<EventRegistrationRow> EventRegistrations => Set<EventRegistrationRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMitredenMessaging();
        modelBuilder.AddRefusedSubjects();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ProposalsDb).Assembly);
        // snake_case columns, so hand-written SQL (phase clock, check constraints) reads like the rest of the schema.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            // Ids are made in code (Guid v7 or the fixed demo ids): a new child added to a loaded parent's collection
            // must be inserted, not mistaken for an existing row because its key is already set.
            if (entity.FindPrimaryKey()?.Properties is [{ ClrType: var keyType } key] && keyType == typeof(Guid))
            {
                key.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
            }
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction under the retrying execution strategy (a retry starts over
    /// with an empty change tracker, so nothing of the failed attempt leaks into the next).
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        Transactions.InTransactionAsync(this, work, ct);
}

/// <summary>Used only by <c>dotnet ef</c> to build migrations; never at run time.</summary>
internal sealed class ProposalsDbDesignTimeFactory : IDesignTimeDbContextFactory<ProposalsDb>
{
    public ProposalsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ProposalsDb>().UseNpgsql("Host=127.0.0.1;Database=design_time_only").Options);
}
