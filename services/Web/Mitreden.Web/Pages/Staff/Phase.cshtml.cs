using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>
/// Staff edit a phase (title, kind, start and end in city time, description) and who may see it; its switches keep their
/// own form on the process page.
/// </summary>
public sealed class PhaseModel(ProposalsApi proposals) : WebPage
{
    public ProcessResponse Process { get; private set; } = null!;
    public PhaseResponse Phase { get; private set; } = null!;

    [BindProperty] public string? PhaseTitle { get; set; }
    [BindProperty] public string? PhaseKind { get; set; }
    [BindProperty] public string? PhaseStartsAt { get; set; }
    [BindProperty] public string? PhaseEndsAt { get; set; }
    [BindProperty] public string? PhaseDescription { get; set; }
    /// <summary>Proposals' answer: the phase's setting, its process's and the stricter of the two that holds.</summary>
    public PhaseVisibilityResponse? Visibility { get; private set; }
    [BindProperty] public string? PhaseVisibilityChoice { get; set; }

    public static IReadOnlyList<string> VisibilityChoices => ProcessVisibilities.All;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid phaseId, CancellationToken ct)
    {
        if (await LoadAsync(id, phaseId, ct) is { } missing)
        {
            return missing;
        }
        (PhaseTitle, PhaseKind, PhaseDescription) = (Phase.Title, Phase.Kind, Phase.Description);
        (PhaseStartsAt, PhaseEndsAt) = (Display.InputDateTime(Phase.StartsAt), Display.InputDateTime(Phase.EndsAt));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid phaseId, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, phaseId, ct) is { } missing)
        {
            return missing;
        }
        var (starts, ends) = PhaseFields.Check(ModelState, T, PhaseTitle, PhaseKind, PhaseStartsAt, PhaseEndsAt);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await proposals.UpdatePhaseAsync(id, phaseId, new PhaseRequest(PhaseTitle!.Trim(), PhaseKind!, starts!.Value, ends!.Value,
            Phase.Switches, string.IsNullOrWhiteSpace(PhaseDescription) ? null : PhaseDescription.Trim()), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string>
            {
                ["title"] = nameof(PhaseTitle), ["kind"] = nameof(PhaseKind), ["startsAt"] = nameof(PhaseStartsAt), ["endsAt"] = nameof(PhaseEndsAt),
                ["description"] = nameof(PhaseDescription),
            });
            return Page();
        }
        Flash(T["Staff_PhaseSaved"]);
        return Redirect($"/verwaltung/prozesse/{id}");
    }

    /// <summary>Staff make the phase public, members-only or internal; Proposals tells Voting, citizens then simply do not see it.</summary>
    public async Task<IActionResult> OnPostVisibilityAsync(Guid id, Guid phaseId, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, phaseId, ct) is { } missing)
        {
            return missing;
        }
        var result = await proposals.SetPhaseVisibilityAsync(id, phaseId, PhaseVisibilityChoice ?? "", ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string> { ["visibility"] = nameof(PhaseVisibilityChoice) });
            (PhaseTitle, PhaseKind, PhaseDescription) = (Phase.Title, Phase.Kind, Phase.Description);
            (PhaseStartsAt, PhaseEndsAt) = (Display.InputDateTime(Phase.StartsAt), Display.InputDateTime(Phase.EndsAt));
            return Page();
        }
        Flash(T["PhaseVisibility_Saved", Display.Label(T, "Visibility", result.Value!.Effective)]);
        return Redirect($"/verwaltung/prozesse/{id}/phasen/{phaseId}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, Guid phaseId, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        if (Process.Phases.FirstOrDefault(p => p.Id == phaseId) is not { } phase)
        {
            return StatusCode(404);
        }
        Phase = phase;
        Visibility = (await proposals.PhaseVisibilityAsync(id, phaseId, ct)).Value;
        PhaseVisibilityChoice ??= Visibility?.Visibility ?? Phase.Visibility;
        return null;
    }
}
