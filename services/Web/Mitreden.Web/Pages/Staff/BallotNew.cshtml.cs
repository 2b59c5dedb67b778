using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>
/// A new ballot on a process: method and its rules, options from the process's items and/or free text, who may vote,
/// when results are visible, and when it runs. It starts as a draft; "open" publishes it.
/// </summary>
public sealed class BallotNewModel(ProposalsApi proposals, VotingApi voting, IdentityApi identity) : WebPage
{
    /// <summary>Where Voting's refused fields are shown on this form (the rules of a method at the method).</summary>
    private static readonly Dictionary<string, string> VotingFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["title"] = nameof(Title), ["options"] = nameof(ItemIds), ["closesAt"] = nameof(ClosesAt), ["opensAt"] = nameof(OpensAt),
        ["eligibility.votingGroupId"] = nameof(VotingGroupId), ["minSelections"] = nameof(Method), ["maxSelections"] = nameof(Method),
        ["maxScore"] = nameof(Method), ["dots"] = nameof(Method), ["maxDotsPerOption"] = nameof(Method), ["budget"] = nameof(Method),
    };

    public ProcessResponse Process { get; private set; } = null!;
    public IReadOnlyList<ItemResponse> Items { get; private set; } = [];
    public IReadOnlyList<GroupView> Groups { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "prozess")] public Guid ProcessId { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string Method { get; set; } = "approval";
    [BindProperty] public List<Guid> ItemIds { get; set; } = [];
    [BindProperty] public string? FreeOptions { get; set; }
    [BindProperty] public int? MinSelections { get; set; }
    [BindProperty] public int? MaxSelections { get; set; }
    [BindProperty] public int? MaxScore { get; set; }
    [BindProperty] public int? Dots { get; set; }
    [BindProperty] public int? MaxDotsPerOption { get; set; }
    [BindProperty] public decimal? Budget { get; set; }
    [BindProperty] public bool AllowPartialRanking { get; set; }
    [BindProperty] public string Eligibility { get; set; } = "verified";
    [BindProperty] public string? District { get; set; }
    [BindProperty] public Guid? VotingGroupId { get; set; }
    [BindProperty] public string Visibility { get; set; } = "after-close";
    [BindProperty] public Guid? PhaseId { get; set; }
    [BindProperty] public bool FollowsPhase { get; set; }
    [BindProperty] public string? OpensAt { get; set; }
    [BindProperty] public string? ClosesAt { get; set; }
    [BindProperty] public bool OpenNow { get; set; } = true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } missing)
        {
            return missing;
        }
        var now = DateTimeOffset.UtcNow;
        OpensAt ??= Display.InputDateTime(now);
        ClosesAt ??= Display.InputDateTime(now.AddDays(14));
        PhaseId ??= Process.CurrentPhase?.Id;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(ct) is { } missing)
        {
            return missing;
        }
        var options = ItemIds.Distinct().Select(id => Items.FirstOrDefault(i => i.Id == id)).Where(i => i is not null)
            .Select(i => new OptionInput(i!.Id, i.Title, i.CostEstimate)).ToList();
        foreach (var line in (FreeOptions ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "Title" or "Title; cost"
            var parts = line.Split(';', 2, StringSplitOptions.TrimEntries);
            decimal? cost = parts.Length == 2 && decimal.TryParse(parts[1], System.Globalization.NumberStyles.Number,
                System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : null;
            options.Add(new OptionInput(null, parts[0], cost));
        }
        if (string.IsNullOrWhiteSpace(Title))
        {
            ModelState.AddModelError(nameof(Title), T["Item_TitleRequired"]);
        }
        if (!VotingApi.Methods.Contains(Method))
        {
            ModelState.AddModelError(nameof(Method), T["Ballot_MethodRequired"]);
        }
        if (options.Count == 0)
        {
            ModelState.AddModelError(nameof(ItemIds), T["Ballot_OptionsRequired"]);
        }
        var opens = Display.FromInputDateTime(OpensAt);
        var closes = Display.FromInputDateTime(ClosesAt);
        if (!FollowsPhase && (closes is null || (opens is not null && closes <= opens)))
        {
            ModelState.AddModelError(nameof(ClosesAt), T["Phase_EndAfterStart"]);
        }
        if (Eligibility == "voting-group" && VotingGroupId is null)
        {
            ModelState.AddModelError(nameof(VotingGroupId), T["Ballot_GroupRequired"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var group = Groups.FirstOrDefault(g => g.Id == VotingGroupId);
        var method = WireCode.Parse<VotingMethod>(Method)!.Value;
        var kind = WireCode.Parse<EligibilityKind>(Eligibility) ?? EligibilityKind.Verified;
        var eligibility = new EligibilityInput(kind,
            kind == EligibilityKind.Resident && !string.IsNullOrWhiteSpace(District) ? District.Trim() : null,
            kind == EligibilityKind.VotingGroup ? VotingGroupId : null, kind == EligibilityKind.VotingGroup ? group?.Name : null);
        var request = new BallotInput(ProcessId, Title!.Trim(), method, options, PhaseId,
            string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
            method is VotingMethod.Approval or VotingMethod.Support ? MinSelections : null,
            method is VotingMethod.Approval or VotingMethod.Support ? MaxSelections : null,
            method == VotingMethod.Scoring ? MaxScore ?? 5 : null, method == VotingMethod.Cumulative ? Dots : null,
            method == VotingMethod.Cumulative ? MaxDotsPerOption : null, method == VotingMethod.Budget ? Budget : null,
            method == VotingMethod.Ranking && AllowPartialRanking, eligibility,
            WireCode.Parse<ResultVisibility>(Visibility) ?? ResultVisibility.AfterClose, FollowsPhase && PhaseId is not null,
            FollowsPhase ? null : opens, FollowsPhase ? null : closes);
        var created = await voting.CreateBallotAsync(request, ct);
        if (!created.Ok)
        {
            AddProblem(created.Problem!, VotingFields, serviceWordsFirst: true);
            return Page();
        }
        var ballot = created.Value!;
        if (OpenNow)
        {
            var opened = await voting.OpenBallotAsync(ballot.Id, ct);
            if (!opened.Ok)
            {
                TempData["Flash"] = $"{T["Staff_BallotCreated"]} {ProblemMessage(opened.Problem!)}";
                return Redirect($"/verwaltung/abstimmungen/{ballot.Id}");
            }
        }
        Flash(OpenNow ? T["Staff_BallotOpened"] : T["Staff_BallotCreated"]);
        return Redirect($"/verwaltung/abstimmungen/{ballot.Id}");
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(ProcessId, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        Items = (await proposals.ItemsAsync(ProcessId, new ItemQuery(Sort: "title", PageSize: 100), ct)).Value?.Items ?? [];
        Groups = (await identity.VotingCodeGroupsAsync(ct)).Value ?? [];
        return null;
    }
}
