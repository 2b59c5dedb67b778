using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Contracts.Http;
using Npgsql;

namespace Mitreden.Voting.Api.Features.Surveys;

/// <summary>
/// Surveys (Umfragen) on a phase. Staff create, edit (while draft), open and close them; whoever may see the process and
/// phase reads an open or closed survey; eligible accounts (the ballots' rule, <see cref="Eligibility"/>) answer once —
/// a second submission is refused with 409 "already-answered", nothing replaced. Staff see results at any time and
/// export them; everyone else sees them only after close and only when the survey says so (403 otherwise).
/// </summary>
public static class SurveysApi
{
    private const string NotFoundText = "Diese Umfrage gibt es nicht.";

    public static IEndpointRouteBuilder MapSurveysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/surveys").WithTags("Surveys");
        // Everyone who may see the process and phase (drafts: staff only).
        group.MapGet("", ListAsync).AllowAnonymous();
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous().ProducesProblems(404);
        // Staff.
        group.MapPost("", CreateAsync).RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 422);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 404, 409, 422);
        group.MapPost("/{id:guid}/open", OpenAsync).RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 404, 409);
        group.MapPost("/{id:guid}/close", CloseAsync).RequireAuthorization(AuthPolicies.Staff).ProducesProblems(401, 403, 404, 409);
        group.MapGet("/{id:guid}/export", ExportAsync).RequireAuthorization(AuthPolicies.Staff).ProducesProblems(400, 401, 403, 404);
        // Voters (account holders, holders of a voting code for voting-group surveys), then the survey's eligibility.
        group.MapPost("/{id:guid}/answers", AnswerAsync).RequireAuthorization(AuthPolicies.Voter).ProducesProblems(400, 401, 403, 404, 409, 413, 422);
        group.MapGet("/{id:guid}/answers/me", MineAsync).RequireAuthorization(AuthPolicies.Voter).ProducesProblems(401, 403, 404);
        // Staff always; everyone else after close when the survey's results are public.
        group.MapGet("/{id:guid}/results", ResultsAsync).AllowAnonymous().ProducesProblems(403, 404);
        return app;
    }

    internal static bool IsStaff(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin);

    public static string StateName(SurveyStatus status) => status switch
    {
        SurveyStatus.Open => "open",
        SurveyStatus.Closed => "closed",
        _ => "draft",
    };

    public static SurveyView View(Survey s) => new(s.Id, s.ProcessId, s.PhaseId, s.Title, s.Description, s.Anonymous, s.PublicResults,
        new SurveyEligibility(SurveyRules.EligibilityName(s.Eligibility), s.EligibleDistrict, s.VotingGroupId, s.VotingGroupName),
        StateName(s.Status), s.CreatedAt, s.OpenedAt, s.ClosedAt,
        s.Questions.OrderBy(q => q.Position).Select(q => new SurveyQuestionView(q.Id, q.Position, q.Kind, q.Text, q.Required,
            q.Options.Select(o => new SurveyChoiceView(o.Id, o.Label)).ToList(), q.Rows.Select(r => new SurveyChoiceView(r.Id, r.Label)).ToList(),
            q.MaxChoices, q.MaxLength)).ToList());

    /// <summary>The survey if the caller may see it: not a draft (unless staff), and its process and phase visible to them.</summary>
    private static async Task<Survey?> VisibleAsync(Guid id, ClaimsPrincipal user, VotingDb db, ProcessGate gate, CancellationToken ct)
    {
        var survey = await db.Surveys.AsNoTracking().Include(s => s.Questions).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (survey is null || (survey.Status == SurveyStatus.Draft && !IsStaff(user))
            || !await gate.MaySeeAsync(survey.ProcessId, survey.PhaseId, user, ct))
        {
            return null;
        }
        return survey;
    }

    private static async Task<IResult> ListAsync(Guid? processId, Guid? phaseId, ClaimsPrincipal user, VotingDb db, ProcessGate gate, CancellationToken ct)
    {
        var staff = IsStaff(user);
        var query = db.Surveys.AsNoTracking().Include(s => s.Questions).AsQueryable();
        if (processId is { } p)
        {
            query = query.Where(s => s.ProcessId == p);
        }
        if (phaseId is { } ph)
        {
            query = query.Where(s => s.PhaseId == ph);
        }
        if (!staff)
        {
            query = query.Where(s => s.Status != SurveyStatus.Draft);
        }
        var surveys = await query.OrderByDescending(s => s.CreatedAt).Take(200).ToListAsync(ct);
        var maySee = await gate.FilterAsync(user, ct);
        return TypedResults.Ok(surveys.Where(s => maySee(s.ProcessId, s.PhaseId)).Select(View).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, VotingDb db, ProcessGate gate, CancellationToken ct) =>
        await VisibleAsync(id, user, db, gate, ct) is { } survey ? TypedResults.Ok(View(survey)) : Problems.NotFound(NotFoundText);

    private static async Task<IResult> CreateAsync(SurveyRequest input, ClaimsPrincipal user, VotingDb db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var survey = new Survey { Id = Guid.CreateVersion7(), Title = "", CreatedAt = now, UpdatedAt = now, CreatedBy = user.UserId(), Status = SurveyStatus.Draft };
        var errors = SurveyRules.Apply(survey, input);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Umfrage ist so nicht möglich.");
        }
        db.Surveys.Add(survey);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/surveys/{survey.Id}", View(survey));
    }

    private static async Task<IResult> UpdateAsync(Guid id, SurveyRequest input, VotingDb db, TimeProvider time, CancellationToken ct)
    {
        var survey = await db.Surveys.Include(s => s.Questions).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (survey is null)
        {
            return Problems.NotFound(NotFoundText);
        }
        if (survey.Status != SurveyStatus.Draft)
        {
            return Problems.Conflict("Eine geöffnete oder beendete Umfrage kann nicht mehr geändert werden.", "not-draft");
        }
        var old = survey.Questions.ToList();
        var errors = SurveyRules.Apply(survey, input);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Umfrage ist so nicht möglich.");
        }
        db.SurveyQuestions.RemoveRange(old);
        db.SurveyQuestions.AddRange(survey.Questions);
        survey.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(survey));
    }

    private static async Task<IResult> OpenAsync(Guid id, VotingDb db, TimeProvider time, CancellationToken ct)
    {
        var survey = await db.Surveys.Include(s => s.Questions).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (survey is null)
        {
            return Problems.NotFound(NotFoundText);
        }
        if (survey.Status != SurveyStatus.Draft)
        {
            return Problems.Conflict("Die Umfrage ist bereits geöffnet oder beendet.", "already-opened");
        }
        survey.Status = SurveyStatus.Open;
        survey.OpenedAt = survey.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(survey));
    }

    private static async Task<IResult> CloseAsync(Guid id, VotingDb db, TimeProvider time, CancellationToken ct)
    {
        var survey = await db.Surveys.Include(s => s.Questions).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (survey is null)
        {
            return Problems.NotFound(NotFoundText);
        }
        if (survey.Status != SurveyStatus.Open)
        {
            return Problems.Conflict(survey.Status == SurveyStatus.Draft
                ? "Die Umfrage ist noch nicht geöffnet." : "Die Umfrage ist bereits beendet.", "survey-not-open");
        }
        survey.Status = SurveyStatus.Closed;
        survey.ClosedAt = survey.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(survey));
    }

    private static async Task<IResult> AnswerAsync(Guid id, SurveyAnswersRequest request, ClaimsPrincipal user, VotingDb db, ProcessGate gate,
        VoterKeys keys, TimeProvider time, CancellationToken ct)
    {
        var survey = await VisibleAsync(id, user, db, gate, ct);
        if (survey is null)
        {
            return Problems.NotFound(NotFoundText);
        }
        if (survey.Status != SurveyStatus.Open)
        {
            return Problems.Conflict(survey.Status == SurveyStatus.Closed
                ? "Die Umfrage ist beendet; Antworten sind nicht mehr möglich." : "Die Umfrage ist noch nicht geöffnet.", "survey-not-open");
        }
        if (Eligibility.Check(survey.Eligibility, survey.EligibleDistrict, survey.VotingGroupId, survey.VotingGroupName, user) is { } refusal)
        {
            return Problems.Forbidden(refusal.Message, refusal.Reason);
        }
        var (values, errors) = SurveyRules.Check(survey.Questions, request ?? new SurveyAnswersRequest([]));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Antworten entsprechen nicht den Regeln der Umfrage.");
        }
        var participantKey = keys.For(user.UserId(), survey.Id);
        if (await db.SurveyParticipants.AnyAsync(p => p.SurveyId == survey.Id && p.ParticipantKey == participantKey, ct))
        {
            return AlreadyAnswered();
        }
        var now = time.GetUtcNow();
        var response = new SurveyResponse
        {
            // Anonymous answers carry neither the account nor a time finer than the day (nothing to line up with a log).
            Id = survey.Anonymous ? Guid.NewGuid() : Guid.CreateVersion7(),
            SurveyId = survey.Id,
            AccountId = survey.Anonymous ? null : user.UserId(),
            SubmittedAt = survey.Anonymous ? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) : now,
        };
        db.SurveyParticipants.Add(new SurveyParticipant { SurveyId = survey.Id, ParticipantKey = participantKey });
        db.SurveyResponses.Add(response);
        foreach (var value in values)
        {
            value.ResponseId = response.Id;
            value.SurveyId = survey.Id;
        }
        db.SurveyAnswers.AddRange(values);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return AlreadyAnswered();
        }
        return TypedResults.Created($"/surveys/{survey.Id}/answers/me", new SurveySubmission(survey.Id, now));
    }

    private static IResult AlreadyAnswered() =>
        Problems.Conflict("Sie haben diese Umfrage bereits beantwortet; Antworten können nicht geändert werden.", "already-answered");

    private static async Task<IResult> MineAsync(Guid id, ClaimsPrincipal user, VotingDb db, ProcessGate gate, VoterKeys keys, CancellationToken ct)
    {
        var survey = await VisibleAsync(id, user, db, gate, ct);
        if (survey is null)
        {
            return Problems.NotFound(NotFoundText);
        }
        var participantKey = keys.For(user.UserId(), survey.Id);
        var answered = await db.SurveyParticipants.AnyAsync(p => p.SurveyId == survey.Id && p.ParticipantKey == participantKey, ct);
        var refusal = Eligibility.Check(survey.Eligibility, survey.EligibleDistrict, survey.VotingGroupId, survey.VotingGroupName, user);
        var (reason, message) = answered ? ("answered", "Sie haben diese Umfrage bereits beantwortet.")
            : survey.Status != SurveyStatus.Open ? ("survey-not-open", "Die Umfrage ist nicht geöffnet.")
            : refusal is not null ? (refusal.Reason, refusal.Message)
            : ((string?)null, (string?)null);
        return TypedResults.Ok(new MySurveyStatus(survey.Id, answered, reason is null, reason, message));
    }

    private static async Task<IResult> ResultsAsync(Guid id, ClaimsPrincipal user, VotingDb db, ProcessGate gate, CancellationToken ct)
    {
        var survey = await VisibleAsync(id, user, db, gate, ct);
        if (survey is null)
        {
            return Problems.NotFound(NotFoundText);
        }
        var staff = IsStaff(user);
        if (!staff && SurveyResultsReader.Denial(survey) is { } denial)
        {
            return Problems.Forbidden(denial.Message, denial.Code);
        }
        return TypedResults.Ok(await SurveyResultsReader.ReadAsync(survey, db, withTexts: staff, ct));
    }

    private static async Task<IResult> ExportAsync(Guid id, string? format, HttpContext http, VotingDb db, ILoggerFactory loggers)
    {
        var ct = http.RequestAborted;
        var survey = await db.Surveys.AsNoTracking().Include(s => s.Questions).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (survey is null)
        {
            return Problems.NotFound(NotFoundText);
        }
        format ??= "csv-de";
        if (format is not ("csv-de" or "csv" or "xlsx"))
        {
            return Problems.BadRequest("Formate: csv-de, csv, xlsx.", "unknown-format", "format");
        }
        loggers.CreateLogger(typeof(SurveysApi)).LogInformation("Audit: export ({Format}) of survey {SurveyId} by {UserId}",
            format, id, http.User.UserId());
        var german = format is "csv-de" or "xlsx";
        var table = SurveyExport.Table(survey, db, german, ct);
        http.Response.ContentType = format == "xlsx"
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"umfrage-{id:N}.{(format == "xlsx" ? "xlsx" : "csv")}\"";
        if (format == "xlsx")
        {
            await XlsxExport.WriteAsync(http.Response.Body, table, ct);
        }
        else
        {
            await CsvExport.WriteAsync(http.Response.Body, table, format == "csv-de", ct);
        }
        return TypedResults.Empty;
    }
}
