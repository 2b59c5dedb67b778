using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.ServiceDefaults.Districts;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Data;

public enum SurveyStatus
{
    Draft,
    Open,
    Closed,
}

/// <summary>A questionnaire on a phase (Features/Surveys). Eligibility as for ballots.</summary>
public sealed class Survey
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public Guid? PhaseId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    /// <summary>Answers keep no account id; one answer per account is kept by <see cref="SurveyParticipant"/>.</summary>
    public bool Anonymous { get; set; }
    /// <summary>Everyone sees the results after close; otherwise only staff.</summary>
    public bool PublicResults { get; set; }
    public EligibilityKind Eligibility { get; set; }
    public string? EligibleDistrict { get; set; }
    public Guid? VotingGroupId { get; set; }
    public string? VotingGroupName { get; set; }
    public SurveyStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public List<SurveyQuestion> Questions { get; set; } = [];
}

/// <summary>An option, column or row of a question: a stable id and its label.</summary>
public sealed record SurveyChoice(Guid Id, string Label);

public sealed class SurveyQuestion
{
    public Guid Id { get; set; }
    public Guid SurveyId { get; set; }
    public int Position { get; set; }
    /// <summary>One of <c>SurveyQuestionKinds.All</c>.</summary>
    public required string Kind { get; set; }
    public required string Text { get; set; }
    public bool Required { get; set; }
    public int? MaxChoices { get; set; }
    public int? MaxLength { get; set; }
    /// <summary>JSON list of <see cref="SurveyChoice"/>: the options (single, multiple) or columns (matrix).</summary>
    public string OptionsJson { get; set; } = "[]";
    /// <summary>JSON list of <see cref="SurveyChoice"/>: the rows (matrix).</summary>
    public string RowsJson { get; set; } = "[]";

    public IReadOnlyList<SurveyChoice> Options
    {
        get => JsonSerializer.Deserialize<List<SurveyChoice>>(OptionsJson) ?? [];
        set => OptionsJson = JsonSerializer.Serialize(value);
    }

    public IReadOnlyList<SurveyChoice> Rows
    {
        get => JsonSerializer.Deserialize<List<SurveyChoice>>(RowsJson) ?? [];
        set => RowsJson = JsonSerializer.Serialize(value);
    }
}

/// <summary>One submitted questionnaire. <see cref="AccountId"/> is null for anonymous surveys (and after the account is deleted).</summary>
public sealed class SurveyResponse
{
    public Guid Id { get; set; }
    public Guid SurveyId { get; set; }
    public Guid? AccountId { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>
/// That an account has answered a survey, by the pseudonymous key HMAC(secret, account ‖ survey) (<c>VoterKeys.For</c>),
/// never the account id and without a link to the response: the primary key allows one answer per account.
/// </summary>
public sealed class SurveyParticipant
{
    public Guid SurveyId { get; set; }
    public required byte[] ParticipantKey { get; set; }
}

/// <summary>One value of an answer: a chosen option, a matrix cell (row + column), a scale value or a free text. No account id.</summary>
public sealed class SurveyAnswerValue
{
    public long Id { get; set; }
    public Guid ResponseId { get; set; }
    public Guid SurveyId { get; set; }
    public Guid QuestionId { get; set; }
    public Guid? OptionId { get; set; }
    public Guid? RowId { get; set; }
    public int? Value { get; set; }
    public string? Text { get; set; }
}

internal sealed class SurveyConfiguration : IEntityTypeConfiguration<Survey>
{
    public void Configure(EntityTypeBuilder<Survey> e)
    {
        e.ToTable("surveys");
        e.HasKey(s => s.Id);
        e.Property(s => s.Id).HasColumnName("id");
        e.Property(s => s.ProcessId).HasColumnName("process_id");
        e.Property(s => s.PhaseId).HasColumnName("phase_id");
        e.Property(s => s.Title).HasColumnName("title").HasMaxLength(300);
        e.Property(s => s.Description).HasColumnName("description").HasMaxLength(10_000);
        e.Property(s => s.Anonymous).HasColumnName("anonymous");
        e.Property(s => s.PublicResults).HasColumnName("public_results");
        e.Property(s => s.Eligibility).HasColumnName("eligibility").HasConversion<string>().HasMaxLength(20);
        e.Property(s => s.EligibleDistrict).HasColumnName("eligible_district").HasMaxLength(DistrictSlug.MaxLength);
        e.Property(s => s.VotingGroupId).HasColumnName("voting_group_id");
        e.Property(s => s.VotingGroupName).HasColumnName("voting_group_name").HasMaxLength(200);
        e.Property(s => s.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        e.Property(s => s.CreatedAt).HasColumnName("created_at");
        e.Property(s => s.CreatedBy).HasColumnName("created_by");
        e.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        e.Property(s => s.OpenedAt).HasColumnName("opened_at");
        e.Property(s => s.ClosedAt).HasColumnName("closed_at");
        e.HasIndex(s => s.ProcessId);
        e.HasIndex(s => s.PhaseId);
        e.HasMany(s => s.Questions).WithOne().HasForeignKey(q => q.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SurveyQuestionConfiguration : IEntityTypeConfiguration<SurveyQuestion>
{
    public void Configure(EntityTypeBuilder<SurveyQuestion> e)
    {
        e.ToTable("survey_questions");
        e.HasKey(q => q.Id);
        e.Property(q => q.Id).HasColumnName("id");
        e.Property(q => q.SurveyId).HasColumnName("survey_id");
        e.Property(q => q.Position).HasColumnName("position");
        e.Property(q => q.Kind).HasColumnName("kind").HasMaxLength(20);
        e.Property(q => q.Text).HasColumnName("text").HasMaxLength(1_000);
        e.Property(q => q.Required).HasColumnName("required");
        e.Property(q => q.MaxChoices).HasColumnName("max_choices");
        e.Property(q => q.MaxLength).HasColumnName("max_length");
        e.Property(q => q.OptionsJson).HasColumnName("options").HasColumnType("jsonb");
        e.Property(q => q.RowsJson).HasColumnName("rows").HasColumnType("jsonb");
        e.Ignore(q => q.Options);
        e.Ignore(q => q.Rows);
    }
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> e)
    {
        e.ToTable("survey_responses");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).HasColumnName("id");
        e.Property(r => r.SurveyId).HasColumnName("survey_id");
        e.Property(r => r.AccountId).HasColumnName("account_id");
        e.Property(r => r.SubmittedAt).HasColumnName("submitted_at");
        e.HasIndex(r => r.SurveyId);
        e.HasIndex(r => r.AccountId);
        e.HasOne<Survey>().WithMany().HasForeignKey(r => r.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SurveyParticipantConfiguration : IEntityTypeConfiguration<SurveyParticipant>
{
    public void Configure(EntityTypeBuilder<SurveyParticipant> e)
    {
        e.ToTable("survey_participants");
        e.HasKey(p => new { p.SurveyId, p.ParticipantKey });
        e.Property(p => p.SurveyId).HasColumnName("survey_id");
        e.Property(p => p.ParticipantKey).HasColumnName("participant_key");
        e.HasOne<Survey>().WithMany().HasForeignKey(p => p.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SurveyAnswerValueConfiguration : IEntityTypeConfiguration<SurveyAnswerValue>
{
    public void Configure(EntityTypeBuilder<SurveyAnswerValue> e)
    {
        e.ToTable("survey_answers");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(a => a.ResponseId).HasColumnName("response_id");
        e.Property(a => a.SurveyId).HasColumnName("survey_id");
        e.Property(a => a.QuestionId).HasColumnName("question_id");
        e.Property(a => a.OptionId).HasColumnName("option_id");
        e.Property(a => a.RowId).HasColumnName("row_id");
        e.Property(a => a.Value).HasColumnName("value");
        e.Property(a => a.Text).HasColumnName("text").HasMaxLength(5_000);
        e.HasIndex(a => new { a.SurveyId, a.QuestionId });
        e.HasOne<SurveyResponse>().WithMany().HasForeignKey(a => a.ResponseId).OnDelete(DeleteBehavior.Cascade);
    }
}
