using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Metadata;
using Mitreden.Identity.Api.Features.Notifications;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using OpenIddict.EntityFrameworkCore.Models;

namespace Mitreden.Identity.Api.Data;

public sealed class IdentityDb(DbContextOptions<IdentityDb> options)
    : IdentityDbContext<MitredenUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<UserBlock> UserBlocks => Set<UserBlock>();
    public DbSet<LetterCodeBatch> LetterCodeBatches => Set<LetterCodeBatch>();
    public DbSet<LetterCode> LetterCodes => Set<LetterCode>();
    public DbSet<VotingCodeGroup> VotingCodeGroups => Set<VotingCodeGroup>();
    public DbSet<VotingCode> VotingCodes => Set<VotingCode>();
    public DbSet<ProcessFollow> ProcessFollows => Set<ProcessFollow>();
    public DbSet<NotificationSetting> NotificationSettings => Set<NotificationSetting>();
    public DbSet<ProcessVisibilityCopy> ProcessAudiences => Set<ProcessVisibilityCopy>();
    public DbSet<PhaseAudience> PhaseAudiences => Set<PhaseAudience>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<UpcomingEvent> UpcomingEvents => Set<UpcomingEvent>();
    public DbSet<HeldReply> HeldReplies => Set<HeldReply>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.AddMitredenMessaging();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IdentityDb).Assembly);

        modelBuilder.Entity<MitredenUser>().ToTable("users");
        modelBuilder.Entity<IdentityRole<Guid>>().ToTable("roles").HasData(SeededRoles.All);
        modelBuilder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        modelBuilder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        modelBuilder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        modelBuilder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        modelBuilder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        // The token server's clients, scopes, authorizations (sign-ins) and tokens.
        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreApplication>().ToTable("oidc_applications");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreAuthorization>().ToTable("oidc_authorizations");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreScope>().ToTable("oidc_scopes");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreToken>().ToTable("oidc_tokens");

        // One naming style in SQL: every column without an explicit name becomes snake_case.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.FindAnnotation(RelationalAnnotationNames.ColumnName) is null)
                {
                    property.SetColumnName(SnakeCase(property.Name));
                }
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var startsWordInAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (previousIsLowerOrDigit || startsWordInAcronym)
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}

/// <summary>Used only by <c>dotnet ef</c> to build migrations; never at run time.</summary>
internal sealed class IdentityDbDesignTimeFactory : IDesignTimeDbContextFactory<IdentityDb>
{
    public IdentityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IdentityDb>().UseNpgsql("Host=127.0.0.1;Database=design_time_only").Options);
}
