using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Proposals.Contracts;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>Everything staff set up for a process: its data, publication, phases with their switches, topics, items and ballots.</summary>
public sealed class ProcessModel(ProposalsApi proposals, VotingApi voting, ILogger<ProcessModel> logger) : WebPage
{
    public ProcessResponse Process { get; private set; } = null!;
    public IReadOnlyList<ItemResponse> Items { get; private set; } = [];
    public int ItemTotal { get; private set; }
    public IReadOnlyList<BallotView> Ballots { get; private set; } = [];
    public IReadOnlyList<Mitreden.Voting.Contracts.Http.SurveyView> Surveys { get; private set; } = [];

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? City { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public DateOnly? StartsOn { get; set; }
    [BindProperty] public DateOnly? EndsOn { get; set; }
    [BindProperty] public bool UnconfirmedAccountsMayComment { get; set; }

    [BindProperty] public string? PhaseTitle { get; set; }
    [BindProperty] public string? PhaseKind { get; set; }
    [BindProperty] public string? PhaseStartsAt { get; set; }
    [BindProperty] public string? PhaseEndsAt { get; set; }
    [BindProperty] public string? TopicTitle { get; set; }
    [BindProperty] public string? TopicDescription { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        (Title, City, Description, StartsOn, EndsOn) = (Process.Title, Process.City, Process.Description, Process.StartsOn, Process.EndsOn);
        UnconfirmedAccountsMayComment = Process.UnconfirmedAccountsMayComment;
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        if (string.IsNullOrWhiteSpace(Title))
        {
            ModelState.AddModelError(nameof(Title), T["Item_TitleRequired"]);
        }
        if (string.IsNullOrWhiteSpace(City))
        {
            ModelState.AddModelError(nameof(City), T["Process_CityRequired"]);
        }
        if (ModelState.IsValid)
        {
            var result = await proposals.UpdateProcessAsync(id, new ProcessRequest(Title!.Trim(), City!.Trim(), Description?.Trim() ?? "", StartsOn, EndsOn,
                UnconfirmedAccountsMayComment: UnconfirmedAccountsMayComment), ct);
            if (result.Ok)
            {
                return Done(id, T["Staff_Saved"]);
            }
            AddProblem(result.Problem!, ProcessFields.Map);
        }
        return await LoadAsync(id, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(Guid id, CancellationToken ct) =>
        await AfterAsync(id, await proposals.PublishProcessAsync(id, ct), T["Staff_Published"], ct);

    public async Task<IActionResult> OnPostArchiveAsync(Guid id, CancellationToken ct) =>
        await AfterAsync(id, await proposals.ArchiveProcessAsync(id, ct), T["Staff_Archived"], ct);

    public async Task<IActionResult> OnPostAddPhaseAsync(Guid id, bool proposing, bool commenting, bool preModeration, bool votingOn,
        bool resultsVisible, string? phaseDescription, CancellationToken ct)
    {
        ModelState.Clear();
        var (starts, ends) = PhaseFields.Check(ModelState, T, PhaseTitle, PhaseKind, PhaseStartsAt, PhaseEndsAt);
        if (ModelState.IsValid)
        {
            var result = await proposals.CreatePhaseAsync(id, new PhaseRequest(PhaseTitle!.Trim(), PhaseKind!, starts!.Value, ends!.Value,
                new PhaseSwitches(proposing, commenting, preModeration, votingOn, resultsVisible),
                string.IsNullOrWhiteSpace(phaseDescription) ? null : phaseDescription.Trim()), ct);
            if (result.Ok)
            {
                return Done(id, T["Staff_PhaseAdded"]);
            }
            AddProblem(result.Problem!, new Dictionary<string, string>
            {
                ["title"] = nameof(PhaseTitle), ["kind"] = nameof(PhaseKind), ["startsAt"] = nameof(PhaseStartsAt), ["endsAt"] = nameof(PhaseEndsAt),
            });
        }
        return await LoadAsync(id, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostSwitchesAsync(Guid id, Guid phaseId, bool proposing, bool commenting, bool preModeration,
        bool votingOn, bool resultsVisible, CancellationToken ct)
    {
        var result = await proposals.UpdateSwitchesAsync(id, phaseId,
            new PhaseSwitches(proposing, commenting, preModeration, votingOn, resultsVisible), ct);
        return await AfterAsync(id, result, T["Staff_SwitchesSaved"], ct);
    }

    public async Task<IActionResult> OnPostDeletePhaseAsync(Guid id, Guid phaseId, CancellationToken ct) =>
        await AfterAsync(id, await proposals.DeletePhaseAsync(id, phaseId, ct), T["Staff_PhaseDeleted"], ct);

    public async Task<IActionResult> OnPostAddTopicAsync(Guid id, string? topicKind, CancellationToken ct)
    {
        ModelState.Clear();
        if (string.IsNullOrWhiteSpace(TopicTitle))
        {
            ModelState.AddModelError(nameof(TopicTitle), T["Item_TitleRequired"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        var request = new TopicRequest(TopicTitle.Trim(), string.IsNullOrWhiteSpace(TopicDescription) ? null : TopicDescription.Trim());
        var result = topicKind == "theme"
            ? await proposals.CreateThemeAsync(id, request, ct)
            : await proposals.CreateFieldOfActionAsync(id, request, ct);
        return await AfterAsync(id, result, T["Staff_TopicAdded"], ct);
    }

    /// <summary>The error key of a topic's edit field (the input has the same id).</summary>
    public static string TopicField(Guid topicId) => $"topic-{topicId}";

    public async Task<IActionResult> OnPostEditTopicAsync(Guid id, Guid topicId, string? topicKind, string? title, string? description,
        CancellationToken ct)
    {
        ModelState.Clear();
        if (string.IsNullOrWhiteSpace(title))
        {
            ModelState.AddModelError(TopicField(topicId), T["Item_TitleRequired"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        var result = await proposals.UpdateTopicAsync(id, topicKind == "theme", topicId,
            new TopicRequest(title.Trim(), string.IsNullOrWhiteSpace(description) ? null : description.Trim()), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string> { ["title"] = TopicField(topicId), ["description"] = TopicField(topicId) });
            return await LoadAsync(id, ct) ?? Page();
        }
        return Done(id, T["Staff_TopicSaved"]);
    }

    public async Task<IActionResult> OnPostRemoveTopicAsync(Guid id, Guid topicId, string? topicKind, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await proposals.DeleteTopicAsync(id, topicKind == "theme", topicId, ct);
        if (result is { Ok: false, Problem.Status: 409 })
        {
            // Proposals refuses while items still belong to it; say so in the reader's language.
            ModelState.AddModelError(TopicField(topicId), T["Staff_TopicInUse"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        return await AfterAsync(id, result, T["Staff_TopicRemoved"], ct);
    }

    public async Task<IActionResult> OnPostImportItemsAsync(Guid id, IFormFile? csv, CancellationToken ct)
    {
        ModelState.Clear();
        if (csv is null || csv.Length == 0)
        {
            ModelState.AddModelError("csv", T["Staff_ImportFileRequired"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        using var buffer = new MemoryStream();
        await csv.CopyToAsync(buffer, ct);
        var result = await proposals.ImportItemsAsync(id, buffer.ToArray(), ct);
        return await AfterAsync(id, result, T["Staff_ItemsImported"], ct, linesField: "csv");
    }

    private async Task<IActionResult> AfterAsync<T>(Guid id, ApiResult<T> result, string message, CancellationToken ct, string linesField = "")
    {
        if (result.Ok)
        {
            return Done(id, message);
        }
        ModelState.Clear();
        AddProblem(result.Problem!, linesField: linesField);
        return await LoadAsync(id, ct) ?? Page();
    }

    private IActionResult Done(Guid id, string message)
    {
        Flash(message);
        return Redirect($"/verwaltung/prozesse/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        var items = await proposals.ItemsAsync(id, new ItemQuery(Sort: "title", PageSize: 100), ct);
        Items = items.Value?.Items ?? [];
        ItemTotal = items.Value?.Total ?? 0;
        try
        {
            Ballots = ((await voting.BallotsAsync(id, ct)).Value ?? []).Where(b => b.ProcessId == id).ToList();
            Surveys = ((await voting.SurveysAsync(id, ct)).Value ?? []).Where(s => s.ProcessId == id).ToList();
        }
        catch (BackendUnavailableException ex)
        {
            logger.LogWarning(ex, "Ballots of process {ProcessId} unavailable", id);
        }
        return null;
    }
}
