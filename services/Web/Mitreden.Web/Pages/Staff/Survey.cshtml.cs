using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>A survey for staff: its questions, open and close, the results at any time (free texts included) and the exports.</summary>
public sealed class SurveyModel(VotingApi voting, ProposalsApi proposals) : WebPage
{
    public SurveyView Survey { get; private set; } = null!;
    public ProcessResponse? Process { get; private set; }
    public SurveyResults? Results { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct) =>
        await AfterAsync(id, await voting.OpenSurveyAsync(id, ct), T["Survey_Opened"], ct);

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) =>
        await AfterAsync(id, await voting.CloseSurveyAsync(id, ct), T["Survey_Closed"], ct);

    public async Task<IActionResult> OnGetExportAsync(Guid id, string format, CancellationToken ct)
    {
        if (!VotingApi.SurveyExportFormats.Contains(format))
        {
            return StatusCode(404);
        }
        var (file, problem) = await voting.SurveyExportAsync(id, format, ct);
        if (file is null)
        {
            ModelState.AddModelError("", ProblemMessage(problem!));
            return await LoadAsync(id, ct) ?? Page();
        }
        Response.Headers.CacheControl = "no-store";
        return File(file.Content, file.ContentType, file.FileName ?? $"umfrage-{id:N}.{(format == "xlsx" ? "xlsx" : "csv")}");
    }

    private async Task<IActionResult> AfterAsync<T>(Guid id, ApiResult<T> result, string message, CancellationToken ct)
    {
        if (result.Ok)
        {
            Flash(message);
            return Redirect($"/verwaltung/umfragen/{id}");
        }
        AddProblem(result.Problem!);
        return await LoadAsync(id, ct) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var survey = await voting.SurveyAsync(id, ct);
        if (!survey.Ok)
        {
            return StatusCode(survey.Status == 404 ? 404 : 400);
        }
        Survey = survey.Value!;
        var process = await proposals.ProcessAsync(Survey.ProcessId, ct);
        Process = process.Ok ? process.Value : null;
        Results = (await voting.SurveyResultsAsync(id, ct)).Value;
        return null;
    }
}
