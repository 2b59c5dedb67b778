namespace Mitreden.Voting.Contracts.Http;

// Surveys (Umfragen) on a phase: Voting's HTTP types, read by the web (additive changes only, like the events).

/// <summary>The kinds of question a survey holds, as the API names them.</summary>
public static class SurveyQuestionKinds
{
    /// <summary>One option.</summary>
    public const string Single = "single";
    /// <summary>Up to <see cref="SurveyQuestionRequest.MaxChoices"/> options.</summary>
    public const string Multiple = "multiple";
    /// <summary>Free text up to <see cref="SurveyQuestionRequest.MaxLength"/> characters.</summary>
    public const string Text = "text";
    /// <summary>A value from <see cref="SurveyLimits.ScaleMin"/> to <see cref="SurveyLimits.ScaleMax"/>.</summary>
    public const string Scale = "scale";
    /// <summary>Rows, each answered with one of the columns (the options).</summary>
    public const string Matrix = "matrix";

    public static readonly IReadOnlyList<string> All = [Single, Multiple, Text, Scale, Matrix];
}

/// <summary>The limits of a survey, defined once for the service and the web's form.</summary>
public static class SurveyLimits
{
    public const int ScaleMin = 1;
    public const int ScaleMax = 5;
    public const int MaxQuestions = 50;
    public const int MaxOptions = 30;
    public const int MaxRows = 30;
    public const int TitleLength = 300;
    public const int DescriptionLength = 10_000;
    public const int QuestionTextLength = 1_000;
    public const int LabelLength = 300;
    /// <summary>The longest free-text answer a question may allow (and the default).</summary>
    public const int TextLength = 5_000;
}

/// <summary>Who may answer, as for ballots: "verified", "resident" (optionally of one district) or "voting-group".</summary>
public sealed record SurveyEligibility(string Kind = "verified", string? District = null, Guid? VotingGroupId = null, string? VotingGroupName = null);

/// <param name="Kind">One of <see cref="SurveyQuestionKinds.All"/>.</param>
/// <param name="Options">Labels of the options (single, multiple) or of the columns (matrix).</param>
/// <param name="Rows">Labels of the rows (matrix only).</param>
/// <param name="MaxChoices">Multiple choice: at most this many options (default: all).</param>
/// <param name="MaxLength">Free text: at most this many characters (default and upper bound <see cref="SurveyLimits.TextLength"/>).</param>
public sealed record SurveyQuestionRequest(string Kind, string Text, bool Required = true, IReadOnlyList<string>? Options = null,
    IReadOnlyList<string>? Rows = null, int? MaxChoices = null, int? MaxLength = null);

/// <summary>Create or (while draft) replace a survey on a phase.</summary>
/// <param name="Anonymous">True: answers keep no link to the account (one answer per account is still enforced, by a
/// pseudonymous key in a table of its own).</param>
/// <param name="PublicResults">True: everyone sees the results once the survey is closed; otherwise only staff ever do.</param>
public sealed record SurveyRequest(Guid ProcessId, string Title, IReadOnlyList<SurveyQuestionRequest> Questions, Guid? PhaseId = null,
    string? Description = null, bool Anonymous = false, bool PublicResults = false, SurveyEligibility? Eligibility = null);

public sealed record SurveyChoiceView(Guid Id, string Label);

public sealed record SurveyQuestionView(Guid Id, int Position, string Kind, string Text, bool Required,
    IReadOnlyList<SurveyChoiceView> Options, IReadOnlyList<SurveyChoiceView> Rows, int? MaxChoices, int? MaxLength);

/// <param name="State">"draft", "open" or "closed".</param>
public sealed record SurveyView(Guid Id, Guid ProcessId, Guid? PhaseId, string Title, string? Description, bool Anonymous,
    bool PublicResults, SurveyEligibility Eligibility, string State, DateTimeOffset CreatedAt, DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt, IReadOnlyList<SurveyQuestionView> Questions);

/// <summary>The answer to one question, in the field of its kind.</summary>
/// <param name="Selected">Single (one) and multiple choice: option ids.</param>
/// <param name="Text">Free text.</param>
/// <param name="Value">Scale: 1 to 5.</param>
/// <param name="Matrix">Matrix: row id → column (option) id, for every row.</param>
public sealed record SurveyAnswer(Guid QuestionId, IReadOnlyList<Guid>? Selected = null, string? Text = null, int? Value = null,
    IReadOnlyDictionary<Guid, Guid>? Matrix = null);

public sealed record SurveyAnswersRequest(IReadOnlyList<SurveyAnswer>? Answers = null);

public sealed record SurveySubmission(Guid SurveyId, DateTimeOffset SubmittedAt);

/// <summary>Whether the caller has answered, and whether they may.</summary>
/// <param name="Reason">Why not, as a stable code (the ballots' eligibility codes, "answered", "survey-not-open").</param>
public sealed record MySurveyStatus(Guid SurveyId, bool Answered, bool MayAnswer, string? Reason, string? Message);

public sealed record SurveyChoiceCount(Guid Id, string Label, long Count);

public sealed record SurveyRowResult(Guid RowId, string Label, IReadOnlyList<SurveyChoiceCount> Columns);

/// <summary>One question's result: counts per option, per scale value (1..5) or per matrix row; free texts for staff only.</summary>
public sealed record SurveyQuestionResult(Guid QuestionId, string Kind, string Text, long Answers,
    IReadOnlyList<SurveyChoiceCount>? Options, IReadOnlyList<long>? Scale, double? Average, IReadOnlyList<SurveyRowResult>? Rows,
    IReadOnlyList<string>? Texts);

public sealed record SurveyResults(Guid SurveyId, string Title, string State, long Responses, IReadOnlyList<SurveyQuestionResult> Questions);
