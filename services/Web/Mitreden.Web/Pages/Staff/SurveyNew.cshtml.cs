using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>One question slot of the survey form: structured fields, options and rows one per line.</summary>
public sealed class SurveyQuestionForm
{
    /// <summary>Empty: the slot is left out.</summary>
    public string? Kind { get; set; }
    public string? Text { get; set; }
    public bool Required { get; set; } = true;
    public string? Options { get; set; }
    public string? Rows { get; set; }
    public int? MaxChoices { get; set; }
    public int? MaxLength { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Kind) && string.IsNullOrWhiteSpace(Text);

    public static List<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

/// <summary>
/// A new survey on a process (and phase), or a draft's changes (<c>/verwaltung/umfragen/{id}/bearbeiten</c>): title,
/// who may answer, anonymity, public results, and its questions as form fields (kind, text, options one per line,
/// matrix rows one per line, limits). Voting checks the rules (and refuses changes once a survey is open); its field
/// errors are shown at the question. "Open now" publishes it at once.
/// </summary>
public sealed class SurveyNewModel(ProposalsApi proposals, VotingApi voting, IdentityApi identity) : WebPage
{
    /// <summary>The second address of this page, where a draft is changed.</summary>
    public const string EditRoute = "verwaltung/umfragen/{id:guid}/bearbeiten";

    public const int InitialSlots = 3;
    public const int MaxSlots = SurveyLimits.MaxQuestions;

    public ProcessResponse Process { get; private set; } = null!;
    public IReadOnlyList<GroupView> Groups { get; private set; } = [];

    /// <summary>The draft being changed; null for a new survey.</summary>
    [BindProperty(SupportsGet = true, Name = "id")] public Guid? SurveyId { get; set; }

    [BindProperty(SupportsGet = true, Name = "prozess")] public Guid ProcessId { get; set; }
    [BindProperty(SupportsGet = true, Name = "phase")] public Guid? PhaseId { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public bool Anonymous { get; set; } = true;
    [BindProperty] public bool PublicResults { get; set; }
    [BindProperty] public string Eligibility { get; set; } = "verified";
    [BindProperty] public string? District { get; set; }
    [BindProperty] public Guid? VotingGroupId { get; set; }
    [BindProperty] public bool OpenNow { get; set; } = true;
    [BindProperty] public List<SurveyQuestionForm> Questions { get; set; } = [];

    public static string QuestionKey(int slot) => $"Questions[{slot}]";

    /// <summary>
    /// Where the form posts: this page has two addresses (new, and a draft's change), so the address is written out
    /// rather than generated from the route values, which would pick either.
    /// </summary>
    public string FormAction(string? handler = null)
    {
        var address = SurveyId is { } id ? $"/verwaltung/umfragen/{id}/bearbeiten?" : $"/verwaltung/umfragen/neu?prozess={ProcessId}&";
        return handler is null ? address.TrimEnd('?', '&') : $"{address}handler={handler}";
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (SurveyId is { } id)
        {
            var survey = await voting.SurveyAsync(id, ct);
            if (!survey.Ok)
            {
                return StatusCode(survey.Status == 404 ? 404 : 400);
            }
            if (survey.Value!.State != "draft")
            {
                Flash(T["Survey_OnlyDraftsChange"]);
                return Redirect($"/verwaltung/umfragen/{id}");
            }
            Fill(survey.Value);
        }
        if (await LoadAsync(ct) is { } missing)
        {
            return missing;
        }
        if (SurveyId is null)
        {
            PhaseId ??= Process.CurrentPhase?.Id;
            Questions = Enumerable.Range(0, InitialSlots).Select(_ => new SurveyQuestionForm()).ToList();
        }
        return Page();
    }

    /// <summary>The form as the draft is now, with one empty slot for another question.</summary>
    private void Fill(SurveyView survey)
    {
        ProcessId = survey.ProcessId;
        PhaseId = survey.PhaseId;
        Title = survey.Title;
        Description = survey.Description;
        Anonymous = survey.Anonymous;
        PublicResults = survey.PublicResults;
        Eligibility = survey.Eligibility.Kind;
        District = survey.Eligibility.District;
        VotingGroupId = survey.Eligibility.VotingGroupId;
        OpenNow = false;
        Questions = survey.Questions.OrderBy(q => q.Position).Select(q => new SurveyQuestionForm
        {
            Kind = q.Kind,
            Text = q.Text,
            Required = q.Required,
            Options = string.Join('\n', q.Options.Select(o => o.Label)),
            Rows = string.Join('\n', q.Rows.Select(r => r.Label)),
            MaxChoices = q.MaxChoices,
            MaxLength = q.MaxLength,
        }).Append(new SurveyQuestionForm()).Take(MaxSlots).ToList();
    }

    /// <summary>One more empty question slot (the form keeps what was typed).</summary>
    public async Task<IActionResult> OnPostAddQuestionAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(ct) is { } missing)
        {
            return missing;
        }
        if (Questions.Count < MaxSlots)
        {
            Questions.Add(new SurveyQuestionForm());
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(ct) is { } missing)
        {
            return missing;
        }
        if (string.IsNullOrWhiteSpace(Title))
        {
            ModelState.AddModelError(nameof(Title), T["Item_TitleRequired"]);
        }
        // Voting numbers the questions it receives; the slots that were left empty are not sent.
        var sent = Questions.Select((q, slot) => (q, slot)).Where(x => !x.q.IsEmpty).ToList();
        if (sent.Count == 0)
        {
            ModelState.AddModelError(QuestionKey(0), T["Survey_QuestionsRequired"]);
        }
        if (Eligibility == "voting-group" && VotingGroupId is null)
        {
            ModelState.AddModelError(nameof(VotingGroupId), T["Ballot_GroupRequired"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        // Voting decides whether the kind of eligibility is one it knows; the group's name travels with its id.
        var group = Eligibility == "voting-group" ? Groups.FirstOrDefault(g => g.Id == VotingGroupId) : null;
        var eligibility = new SurveyEligibility(Eligibility,
            Eligibility == "resident" && !string.IsNullOrWhiteSpace(District) ? District.Trim() : null,
            group?.Id ?? (Eligibility == "voting-group" ? VotingGroupId : null), group?.Name);
        var request = new SurveyRequest(ProcessId, Title!.Trim(), sent.Select(x => new SurveyQuestionRequest(x.q.Kind?.Trim() ?? "", x.q.Text?.Trim() ?? "", x.q.Required,
                x.q.Kind is SurveyQuestionKinds.Single or SurveyQuestionKinds.Multiple or SurveyQuestionKinds.Matrix ? SurveyQuestionForm.Lines(x.q.Options) : null,
                x.q.Kind == SurveyQuestionKinds.Matrix ? SurveyQuestionForm.Lines(x.q.Rows) : null,
                x.q.Kind == SurveyQuestionKinds.Multiple ? x.q.MaxChoices : null,
                x.q.Kind == SurveyQuestionKinds.Text ? x.q.MaxLength : null)).ToList(),
            PhaseId, string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(), Anonymous, PublicResults, eligibility);
        var created = SurveyId is { } id ? await voting.UpdateSurveyAsync(id, request, ct) : await voting.CreateSurveyAsync(request, ct);
        if (!created.Ok)
        {
            var fields = new Dictionary<string, string>
            {
                ["title"] = nameof(Title), ["description"] = nameof(Description),
                ["eligibility"] = Eligibility == "voting-group" ? nameof(VotingGroupId) : nameof(District),
            };
            for (var i = 0; i < sent.Count; i++)
            {
                fields[$"questions[{i}]"] = QuestionKey(sent[i].slot);
            }
            AddProblem(created.Problem!, fields);
            return Page();
        }
        var survey = created.Value!;
        if (OpenNow)
        {
            var opened = await voting.OpenSurveyAsync(survey.Id, ct);
            if (!opened.Ok)
            {
                TempData["Flash"] = $"{T["Survey_Created"]} {ProblemMessage(opened.Problem!)}";
                return Redirect($"/verwaltung/umfragen/{survey.Id}");
            }
        }
        Flash(OpenNow ? T["Survey_Opened"] : SurveyId is null ? T["Survey_Created"] : T["Survey_Saved"]);
        return Redirect($"/verwaltung/umfragen/{survey.Id}");
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(ProcessId, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        Groups = (await identity.VotingCodeGroupsAsync(ct)).Value ?? [];
        return null;
    }
}
