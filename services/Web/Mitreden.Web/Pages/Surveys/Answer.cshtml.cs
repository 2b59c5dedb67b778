using Microsoft.AspNetCore.Mvc;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Surveys;

/// <summary>
/// A survey for citizens: one fieldset per question (a fieldset per matrix row), answered once. Voting checks every
/// rule; its field errors are shown at their question. After close, the results when the survey makes them public.
/// </summary>
public sealed class AnswerModel(VotingApi voting) : WebPage
{
    public SurveyView Survey { get; private set; } = null!;
    public MySurveyStatus? Status { get; private set; }
    public SurveyResults? Results { get; private set; }
    /// <summary>What was posted, to show it again next to the errors.</summary>
    public IReadOnlyDictionary<string, string[]> Posted { get; private set; } = new Dictionary<string, string[]>();

    public static string FieldName(Guid questionId) => $"q-{questionId}";

    public static string RowName(Guid questionId, Guid rowId) => $"q-{questionId}-{rowId}";

    public bool IsPosted(string name, string value) => Posted.TryGetValue(name, out var values) && values.Contains(value);

    public string PostedText(string name) => Posted.TryGetValue(name, out var values) ? values.FirstOrDefault() ?? "" : "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        ModelState.Clear();
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        var form = await Request.ReadFormAsync(ct);
        Posted = form.ToDictionary(f => f.Key, f => f.Value.Select(v => v ?? "").ToArray());
        var answers = new List<SurveyAnswer>();
        foreach (var q in Survey.Questions)
        {
            var values = form[FieldName(q.Id)].Select(v => v ?? "").Where(v => v.Length > 0).ToList();
            switch (q.Kind)
            {
                case SurveyQuestionKinds.Single or SurveyQuestionKinds.Multiple when values.Count > 0:
                    answers.Add(new SurveyAnswer(q.Id, Selected: values.Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).ToList()));
                    break;
                case SurveyQuestionKinds.Text when values.Count > 0 && !string.IsNullOrWhiteSpace(values[0]):
                    answers.Add(new SurveyAnswer(q.Id, Text: values[0]));
                    break;
                case SurveyQuestionKinds.Scale when values.Count > 0 && int.TryParse(values[0], out var value):
                    answers.Add(new SurveyAnswer(q.Id, Value: value));
                    break;
                case SurveyQuestionKinds.Matrix:
                    var cells = new Dictionary<Guid, Guid>();
                    foreach (var row in q.Rows)
                    {
                        if (Guid.TryParse(form[RowName(q.Id, row.Id)].FirstOrDefault(), out var column))
                        {
                            cells[row.Id] = column;
                        }
                    }
                    if (cells.Count > 0)
                    {
                        answers.Add(new SurveyAnswer(q.Id, Matrix: cells));
                    }
                    break;
            }
        }
        var result = await voting.AnswerSurveyAsync(id, new SurveyAnswersRequest(answers), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, Survey.Questions.ToDictionary(q => $"answers.{q.Id}", q => FieldName(q.Id)));
            return Page();
        }
        Flash(T["Survey_Thanks"]);
        return Redirect($"/umfragen/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var survey = await voting.SurveyAsync(id, ct);
        if (!survey.Ok)
        {
            return StatusCode(survey.Status == 404 ? 404 : 400);
        }
        Survey = survey.Value!;
        if (SignedIn)
        {
            Status = (await voting.MySurveyStatusAsync(id, ct)).Value;
        }
        if (Survey.State == "closed" && (Survey.PublicResults || IsStaff))
        {
            Results = (await voting.SurveyResultsAsync(id, ct)).Value;
        }
        return null;
    }
}
