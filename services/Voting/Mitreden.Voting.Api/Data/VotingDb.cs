using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Voting.Api.Data;

public sealed class VotingDb(DbContextOptions<VotingDb> options) : DbContext(options)
{
    public DbSet<Ballot> Ballots => Set<Ballot>();
    public DbSet<BallotOption> BallotOptions => Set<BallotOption>();
    public DbSet<PhaseCopy> Phases => Set<PhaseCopy>();
    public DbSet<ItemCopy> Items => Set<ItemCopy>();
    public DbSet<ProcessVisibilityCopy> ProcessVisibility => Set<ProcessVisibilityCopy>();
    public DbSet<InPersonEntry> InPersonEntries => Set<InPersonEntry>();
    public DbSet<RecountRun> RecountRuns => Set<RecountRun>();
    public DbSet<ResultVersion> ResultVersions => Set<ResultVersion>();
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<SurveyQuestion> SurveyQuestions => Set<SurveyQuestion>();
    public DbSet<SurveyResponse> SurveyResponses => Set<SurveyResponse>();
    public DbSet<SurveyParticipant> SurveyParticipants => Set<SurveyParticipant>();
    public DbSet<SurveyAnswerValue> SurveyAnswers => Set<SurveyAnswerValue>();

    // Result versions are the audit trail of corrections: append-only; the database trigger is the second line of defence.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardResultVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardResultVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void GuardResultVersions()
    {
        if (ChangeTracker.Entries<ResultVersion>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Result versions are append-only.");
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMitredenMessaging();
        modelBuilder.AddRefusedSubjects();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VotingDb).Assembly);
    }
}

/// <summary>Used only by <c>dotnet ef</c> to build migrations; never at run time.</summary>
internal sealed class VotingDbDesignTimeFactory : IDesignTimeDbContextFactory<VotingDb>
{
    public VotingDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<VotingDb>().UseNpgsql("Host=127.0.0.1;Database=design_time_only").Options);
}
