using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Features.Surveys;

/// <summary>Counts per question (who may see them is decided by <see cref="Denial"/>: the one rule for non-staff).</summary>
public static class SurveyResultsReader
{
    public sealed record Hidden(string Code, string Message);

    /// <summary>Null when everyone may see the results: the survey is closed and says its results are public.</summary>
    public static Hidden? Denial(Survey survey) =>
        !survey.PublicResults ? new("results-not-public", "Die Ergebnisse dieser Umfrage sind nicht öffentlich.")
        : survey.Status != SurveyStatus.Closed ? new("results-after-close", "Die Ergebnisse dieser Umfrage werden nach ihrem Ende veröffentlicht.")
        : null;

    /// <param name="withTexts">Free texts too (staff only: they may hold anything people wrote).</param>
    public static async Task<SurveyResults> ReadAsync(Survey survey, VotingDb db, bool withTexts, CancellationToken ct)
    {
        var responses = await db.SurveyResponses.CountAsync(r => r.SurveyId == survey.Id, ct);
        var counts = await db.SurveyAnswers.AsNoTracking().Where(a => a.SurveyId == survey.Id && a.Text == null)
            .GroupBy(a => new { a.QuestionId, a.RowId, a.OptionId, a.Value })
            .Select(g => new { g.Key.QuestionId, g.Key.RowId, g.Key.OptionId, g.Key.Value, Count = g.LongCount() })
            .ToListAsync(ct);
        var answered = await db.SurveyAnswers.AsNoTracking().Where(a => a.SurveyId == survey.Id)
            .GroupBy(a => a.QuestionId)
            .Select(g => new { QuestionId = g.Key, Count = g.Select(a => a.ResponseId).Distinct().LongCount() })
            .ToDictionaryAsync(x => x.QuestionId, x => x.Count, ct);
        var texts = withTexts
            ? (await db.SurveyAnswers.AsNoTracking().Where(a => a.SurveyId == survey.Id && a.Text != null)
                .OrderBy(a => a.Id).Select(a => new { a.QuestionId, a.Text }).ToListAsync(ct))
                .ToLookup(t => t.QuestionId, t => t.Text!)
            : null;

        var questions = new List<SurveyQuestionResult>();
        foreach (var q in survey.Questions.OrderBy(q => q.Position))
        {
            var mine = counts.Where(c => c.QuestionId == q.Id).ToList();
            long Count(Guid? row, Guid? option, int? value) =>
                mine.Where(c => c.RowId == row && c.OptionId == option && c.Value == value).Sum(c => c.Count);
            IReadOnlyList<SurveyChoiceCount>? options = null;
            IReadOnlyList<long>? scale = null;
            double? average = null;
            IReadOnlyList<SurveyRowResult>? rows = null;
            IReadOnlyList<string>? questionTexts = null;
            switch (q.Kind)
            {
                case SurveyQuestionKinds.Single or SurveyQuestionKinds.Multiple:
                    options = q.Options.Select(o => new SurveyChoiceCount(o.Id, o.Label, Count(null, o.Id, null))).ToList();
                    break;
                case SurveyQuestionKinds.Scale:
                    var perValue = Enumerable.Range(SurveyLimits.ScaleMin, SurveyLimits.ScaleMax - SurveyLimits.ScaleMin + 1)
                        .Select(v => (Value: v, Count: Count(null, null, v))).ToList();
                    scale = perValue.Select(v => v.Count).ToList();
                    var total = perValue.Sum(v => v.Count);
                    average = total == 0 ? null : Math.Round(perValue.Sum(v => (double)v.Value * v.Count) / total, 2);
                    break;
                case SurveyQuestionKinds.Matrix:
                    rows = q.Rows.Select(r => new SurveyRowResult(r.Id, r.Label,
                        q.Options.Select(o => new SurveyChoiceCount(o.Id, o.Label, Count(r.Id, o.Id, null))).ToList())).ToList();
                    break;
                case SurveyQuestionKinds.Text when texts is not null:
                    questionTexts = texts[q.Id].ToList();
                    break;
            }
            questions.Add(new SurveyQuestionResult(q.Id, q.Kind, q.Text, answered.GetValueOrDefault(q.Id), options, scale, average, rows, questionTexts));
        }
        return new SurveyResults(survey.Id, survey.Title, SurveysApi.StateName(survey.Status), responses, questions);
    }
}

/// <summary>
/// The answers as a table for staff: one row per submission, numbered in an order unrelated to time, one column per
/// question (per row for a matrix). No account id, name or time. Every text cell goes through the one formula rule
/// (<see cref="CsvText.Cell"/>), so a free text "=cmd" reaches CSV and XLSX as "'=cmd".
/// </summary>
public static class SurveyExport
{
    public static ExportTable Table(Survey survey, VotingDb db, bool german, CancellationToken ct)
    {
        var questions = survey.Questions.OrderBy(q => q.Position).ToList();
        var columns = new List<string> { german ? "Nr." : "number" };
        foreach (var q in questions)
        {
            if (q.Kind == SurveyQuestionKinds.Matrix)
            {
                columns.AddRange(q.Rows.Select(r => $"{q.Position}. {q.Text} – {r.Label}"));
            }
            else
            {
                columns.Add($"{q.Position}. {q.Text}");
            }
        }
        return new ExportTable(german ? "Umfrage" : "survey", columns.Select(CsvText.Cell).ToList(), Rows());

        async IAsyncEnumerable<object?[]> Rows()
        {
            var values = await db.SurveyAnswers.AsNoTracking().Where(a => a.SurveyId == survey.Id).ToListAsync(ct);
            var labels = questions.SelectMany(q => q.Options).ToDictionary(o => o.Id, o => o.Label);
            // Ordered by a hash of the response id: not by time, so a row cannot be matched to when someone answered.
            var responses = values.GroupBy(v => v.ResponseId)
                .OrderBy(g => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(g.Key.ToByteArray())), StringComparer.Ordinal);
            var number = 0;
            foreach (var response in responses)
            {
                var row = new object?[columns.Count];
                row[0] = (long)++number;
                var column = 1;
                foreach (var q in questions)
                {
                    var answers = response.Where(v => v.QuestionId == q.Id).ToList();
                    switch (q.Kind)
                    {
                        case SurveyQuestionKinds.Matrix:
                            foreach (var r in q.Rows)
                            {
                                row[column++] = answers.FirstOrDefault(a => a.RowId == r.Id)?.OptionId is { } o ? CsvText.Cell(labels.GetValueOrDefault(o)) : null;
                            }
                            break;
                        case SurveyQuestionKinds.Scale:
                            row[column++] = answers.FirstOrDefault()?.Value is { } v ? (long)v : null;
                            break;
                        case SurveyQuestionKinds.Text:
                            row[column++] = answers.FirstOrDefault()?.Text is { } text ? CsvText.Cell(text) : null;
                            break;
                        default:
                            row[column++] = answers.Count == 0 ? null
                                : CsvText.Cell(string.Join("; ", q.Options.Where(o => answers.Any(a => a.OptionId == o.Id)).Select(o => o.Label)));
                            break;
                    }
                }
                yield return row;
            }
        }
    }
}
