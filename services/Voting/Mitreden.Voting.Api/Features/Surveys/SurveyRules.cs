using Mitreden.ServiceDefaults.Districts;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Features.Surveys;

/// <summary>
/// The rules of surveys, no I/O: what a questionnaire may hold, and whether an answer keeps each question's rules.
/// Field names: <c>questions[i]</c> for the definition, <c>answers.{questionId}</c> for an answer, so the web shows an
/// error at its question.
/// </summary>
public static class SurveyRules
{
    public static string AnswerField(Guid questionId) => $"answers.{questionId}";

    public static EligibilityKind? ParseEligibility(string? kind) => kind switch
    {
        null or "" or "verified" => EligibilityKind.Verified,
        "resident" => EligibilityKind.Resident,
        "voting-group" => EligibilityKind.VotingGroup,
        _ => null,
    };

    public static string EligibilityName(EligibilityKind kind) => kind switch
    {
        EligibilityKind.Resident => "resident",
        EligibilityKind.VotingGroup => "voting-group",
        _ => "verified",
    };

    /// <summary>Checks the request and, when it holds, copies it onto the survey (questions replaced). Returns the errors.</summary>
    public static List<FieldError> Apply(Survey survey, SurveyRequest input)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(input.Title) || input.Title.Trim().Length > SurveyLimits.TitleLength)
        {
            errors.Add(new("title", "title-invalid", $"Der Titel ist leer oder länger als {SurveyLimits.TitleLength} Zeichen."));
        }
        if (input.Description is { Length: > SurveyLimits.DescriptionLength })
        {
            errors.Add(new("description", "description-too-long", $"Die Beschreibung ist länger als {SurveyLimits.DescriptionLength:N0} Zeichen."));
        }
        if (input.ProcessId == Guid.Empty)
        {
            errors.Add(new("processId", "process-required", "Die Umfrage braucht einen Prozess (processId)."));
        }
        var eligibility = input.Eligibility ?? new SurveyEligibility();
        var kind = ParseEligibility(eligibility.Kind);
        if (kind is null)
        {
            errors.Add(new("eligibility", "unknown-eligibility", "Berechtigungen: verified, resident, voting-group."));
        }
        if (eligibility.District is { } district && (kind != EligibilityKind.Resident || !DistrictSlug.IsValid(district)))
        {
            errors.Add(new("eligibility", "district-invalid", "Ein Stadtteil (Kürzel wie \"mitte\") kann nur bei der Berechtigung \"resident\" angegeben werden."));
        }
        if (kind == EligibilityKind.VotingGroup && eligibility.VotingGroupId is null)
        {
            errors.Add(new("eligibility", "voting-group-missing", "Für eine Umfrage mit Abstimmungscodes fehlt die Gruppe (votingGroupId)."));
        }
        var questions = input.Questions ?? [];
        if (questions.Count is 0 or > SurveyLimits.MaxQuestions)
        {
            errors.Add(new("questions", "questions-count", $"Eine Umfrage hat 1 bis {SurveyLimits.MaxQuestions} Fragen."));
        }
        var built = new List<SurveyQuestion>();
        for (var i = 0; i < questions.Count; i++)
        {
            var (question, questionErrors) = Build(questions[i], $"questions[{i}]", i + 1, survey.Id);
            errors.AddRange(questionErrors);
            if (question is not null)
            {
                built.Add(question);
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        survey.ProcessId = input.ProcessId;
        survey.PhaseId = input.PhaseId;
        survey.Title = input.Title.Trim();
        survey.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        survey.Anonymous = input.Anonymous;
        survey.PublicResults = input.PublicResults;
        survey.Eligibility = kind!.Value;
        survey.EligibleDistrict = kind == EligibilityKind.Resident ? eligibility.District?.ToLowerInvariant() : null;
        survey.VotingGroupId = kind == EligibilityKind.VotingGroup ? eligibility.VotingGroupId : null;
        survey.VotingGroupName = kind == EligibilityKind.VotingGroup ? eligibility.VotingGroupName?.Trim() : null;
        survey.Questions = built;
        return errors;
    }

    private static (SurveyQuestion? Question, List<FieldError> Errors) Build(SurveyQuestionRequest input, string field, int position, Guid surveyId)
    {
        var errors = new List<FieldError>();
        if (input is null)
        {
            return (null, [new(field, "question-missing", $"Frage {position}: fehlt.")]);
        }
        if (!SurveyQuestionKinds.All.Contains(input.Kind))
        {
            errors.Add(new(field, "unknown-question-kind",
                $"Frage {position}: Die Art \"{input.Kind}\" gibt es nicht (single, multiple, text, scale, matrix)."));
            return (null, errors);
        }
        if (string.IsNullOrWhiteSpace(input.Text) || input.Text.Trim().Length > SurveyLimits.QuestionTextLength)
        {
            errors.Add(new(field, "question-text-invalid", $"Frage {position}: Der Fragetext ist leer oder länger als {SurveyLimits.QuestionTextLength:N0} Zeichen."));
        }
        var options = Labels(input.Options);
        var rows = Labels(input.Rows);
        var needsOptions = input.Kind is SurveyQuestionKinds.Single or SurveyQuestionKinds.Multiple or SurveyQuestionKinds.Matrix;
        if (needsOptions && (options.Count < 2 || options.Count > SurveyLimits.MaxOptions))
        {
            errors.Add(new(field, "options-count", $"Frage {position}: Sie braucht 2 bis {SurveyLimits.MaxOptions} Antwortmöglichkeiten."));
        }
        if (!needsOptions && options.Count > 0)
        {
            errors.Add(new(field, "options-not-allowed", $"Frage {position}: Diese Art von Frage hat keine Antwortmöglichkeiten."));
        }
        if (input.Kind == SurveyQuestionKinds.Matrix ? rows.Count is 0 or > SurveyLimits.MaxRows : rows.Count > 0)
        {
            errors.Add(new(field, "rows-count", input.Kind == SurveyQuestionKinds.Matrix
                ? $"Frage {position}: Eine Matrix hat 1 bis {SurveyLimits.MaxRows} Zeilen."
                : $"Frage {position}: Nur eine Matrix hat Zeilen."));
        }
        if (options.Concat(rows).Any(l => l.Length > SurveyLimits.LabelLength))
        {
            errors.Add(new(field, "label-too-long", $"Frage {position}: Eine Antwortmöglichkeit ist länger als {SurveyLimits.LabelLength} Zeichen."));
        }
        if (options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count || rows.Distinct(StringComparer.OrdinalIgnoreCase).Count() != rows.Count)
        {
            errors.Add(new(field, "label-duplicate", $"Frage {position}: Eine Antwortmöglichkeit oder Zeile steht doppelt."));
        }
        int? maxChoices = null;
        if (input.MaxChoices is { } max)
        {
            if (input.Kind != SurveyQuestionKinds.Multiple || max < 1 || max > Math.Max(options.Count, 1))
            {
                errors.Add(new(field, "max-choices-invalid", $"Frage {position}: Die Höchstzahl der Antworten gilt nur für Mehrfachauswahl und liegt zwischen 1 und der Zahl der Antwortmöglichkeiten."));
            }
            maxChoices = max;
        }
        int? maxLength = null;
        if (input.Kind == SurveyQuestionKinds.Text)
        {
            maxLength = input.MaxLength ?? SurveyLimits.TextLength;
            if (maxLength is < 1 or > SurveyLimits.TextLength)
            {
                errors.Add(new(field, "max-length-invalid", $"Frage {position}: Die Höchstlänge liegt zwischen 1 und {SurveyLimits.TextLength:N0} Zeichen."));
            }
        }
        else if (input.MaxLength is not null)
        {
            errors.Add(new(field, "max-length-invalid", $"Frage {position}: Eine Höchstlänge gilt nur für Freitext."));
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new SurveyQuestion
        {
            Id = Guid.CreateVersion7(),
            SurveyId = surveyId,
            Position = position,
            Kind = input.Kind,
            Text = input.Text.Trim(),
            Required = input.Required,
            MaxChoices = maxChoices,
            MaxLength = maxLength,
            Options = options.Select(l => new SurveyChoice(Guid.CreateVersion7(), l)).ToList(),
            Rows = rows.Select(l => new SurveyChoice(Guid.CreateVersion7(), l)).ToList(),
        }, errors);
    }

    private static List<string> Labels(IReadOnlyList<string>? labels) =>
        (labels ?? []).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).ToList();

    /// <summary>
    /// Checks a whole submission against the survey's questions and turns it into the values to store (none when
    /// anything is wrong: a submission is stored whole or not at all).
    /// </summary>
    public static (List<SurveyAnswerValue> Values, List<FieldError> Errors) Check(IReadOnlyList<SurveyQuestion> questions, SurveyAnswersRequest request)
    {
        var errors = new List<FieldError>();
        var values = new List<SurveyAnswerValue>();
        var answers = request.Answers ?? [];
        var byId = questions.ToDictionary(q => q.Id);
        foreach (var group in answers.Where(a => a is not null).GroupBy(a => a.QuestionId))
        {
            if (!byId.ContainsKey(group.Key))
            {
                errors.Add(new(AnswerField(group.Key), "unknown-question", "Diese Frage gehört nicht zu der Umfrage."));
            }
            else if (group.Count() > 1)
            {
                errors.Add(new(AnswerField(group.Key), "answer-duplicate", "Diese Frage ist mehrfach beantwortet."));
            }
        }
        var given = answers.Where(a => a is not null).GroupBy(a => a.QuestionId).ToDictionary(g => g.Key, g => g.First());
        foreach (var question in questions.OrderBy(q => q.Position))
        {
            var field = AnswerField(question.Id);
            var answer = given.GetValueOrDefault(question.Id);
            if (answer is null || IsEmpty(answer))
            {
                if (question.Required)
                {
                    errors.Add(new(field, "answer-required", $"Frage {question.Position}: Bitte beantworten Sie diese Frage."));
                }
                continue;
            }
            var error = CheckOne(question, answer, values);
            if (error is not null)
            {
                errors.Add(error with { Field = field });
            }
        }
        return errors.Count > 0 ? ([], errors) : (values, errors);
    }

    private static bool IsEmpty(SurveyAnswer a) =>
        (a.Selected is null || a.Selected.Count == 0) && string.IsNullOrWhiteSpace(a.Text) && a.Value is null && (a.Matrix is null || a.Matrix.Count == 0);

    private static FieldError? CheckOne(SurveyQuestion question, SurveyAnswer answer, List<SurveyAnswerValue> values)
    {
        var n = question.Position;
        var wrongShape = question.Kind switch
        {
            SurveyQuestionKinds.Single or SurveyQuestionKinds.Multiple => answer.Text is not null || answer.Value is not null || answer.Matrix is not null,
            SurveyQuestionKinds.Text => answer.Selected is not null || answer.Value is not null || answer.Matrix is not null,
            SurveyQuestionKinds.Scale => answer.Selected is not null || answer.Text is not null || answer.Matrix is not null,
            _ => answer.Selected is not null || answer.Text is not null || answer.Value is not null,
        };
        if (wrongShape)
        {
            return new("", "answer-wrong-shape", $"Frage {n}: Die Antwort passt nicht zur Art der Frage ({question.Kind}).");
        }
        var options = question.Options.Select(o => o.Id).ToHashSet();
        switch (question.Kind)
        {
            case SurveyQuestionKinds.Single or SurveyQuestionKinds.Multiple:
                var selected = answer.Selected!;
                if (selected.Distinct().Count() != selected.Count)
                {
                    return new("", "choice-duplicate", $"Frage {n}: Eine Antwort ist doppelt gewählt.");
                }
                if (selected.Any(id => !options.Contains(id)))
                {
                    return new("", "unknown-option", $"Frage {n}: Diese Antwortmöglichkeit gibt es nicht.");
                }
                if (question.Kind == SurveyQuestionKinds.Single && selected.Count > 1)
                {
                    return new("", "single-choice-only", $"Frage {n}: Bitte wählen Sie nur eine Antwort.");
                }
                if (question.MaxChoices is { } max && selected.Count > max)
                {
                    return new("", "too-many-choices", $"Frage {n}: Bitte wählen Sie höchstens {max} Antworten.");
                }
                values.AddRange(selected.Select(id => new SurveyAnswerValue { QuestionId = question.Id, OptionId = id }));
                return null;
            case SurveyQuestionKinds.Text:
                var text = answer.Text!.Trim();
                if (text.Length > (question.MaxLength ?? SurveyLimits.TextLength))
                {
                    return new("", "text-too-long", $"Frage {n}: Die Antwort ist länger als {question.MaxLength ?? SurveyLimits.TextLength:N0} Zeichen.");
                }
                values.Add(new SurveyAnswerValue { QuestionId = question.Id, Text = text });
                return null;
            case SurveyQuestionKinds.Scale:
                if (answer.Value is not (>= SurveyLimits.ScaleMin and <= SurveyLimits.ScaleMax))
                {
                    return new("", "scale-out-of-range", $"Frage {n}: Bitte wählen Sie einen Wert von {SurveyLimits.ScaleMin} bis {SurveyLimits.ScaleMax}.");
                }
                values.Add(new SurveyAnswerValue { QuestionId = question.Id, Value = answer.Value });
                return null;
            default:
                var rows = question.Rows.Select(r => r.Id).ToHashSet();
                var cells = answer.Matrix!;
                if (cells.Keys.Any(r => !rows.Contains(r)))
                {
                    return new("", "unknown-row", $"Frage {n}: Diese Zeile gibt es nicht.");
                }
                if (cells.Values.Any(c => !options.Contains(c)))
                {
                    return new("", "unknown-option", $"Frage {n}: Diese Antwortmöglichkeit gibt es nicht.");
                }
                if (rows.Any(r => !cells.ContainsKey(r)))
                {
                    return new("", "matrix-row-missing", $"Frage {n}: Bitte beantworten Sie jede Zeile.");
                }
                values.AddRange(cells.Select(c => new SurveyAnswerValue { QuestionId = question.Id, RowId = c.Key, OptionId = c.Value }));
                return null;
        }
    }
}
