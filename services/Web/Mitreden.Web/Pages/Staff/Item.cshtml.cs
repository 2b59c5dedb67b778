using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using MeasureStatus = Mitreden.Proposals.Contracts.Http.MonitoringStatus;

namespace Mitreden.Web.Pages.Staff;

/// <summary>One item for staff: content, status with the public answer and internal note, and monitoring for measures.</summary>
public sealed class ItemModel(ProposalsApi proposals) : WebPage
{
    public ItemResponse Item { get; private set; } = null!;

    [BindProperty] public ItemForm Form { get; set; } = new();

    [BindProperty] public string? Status { get; set; }
    [BindProperty] public string? PublicAnswer { get; set; }
    [BindProperty] public string? InternalNote { get; set; }

    [BindProperty] public string? MonitoringStatus { get; set; }
    [BindProperty] public int? ProgressPercent { get; set; }
    [BindProperty] public string? ResponsibleOffice { get; set; }
    [BindProperty] public string? MonitoringNote { get; set; }

    /// <summary>The measure's milestones plus <see cref="BlankMilestones"/> empty rows for new ones (no script needed).</summary>
    [BindProperty] public List<MilestoneRow> Milestones { get; set; } = [];

    public const int BlankMilestones = 2;

    public sealed class MilestoneRow
    {
        public string? Title { get; set; }
        public DateOnly? DueOn { get; set; }
        public DateOnly? DoneOn { get; set; }
        public bool Remove { get; set; }
        public bool Existing { get; set; }

        public bool Blank => string.IsNullOrWhiteSpace(Title) && DueOn is null && DoneOn is null;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        FillContent();
        FillStatus();
        FillMonitoring();
        return Page();
    }

    public async Task<IActionResult> OnPostContentAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        FillStatus();
        FillMonitoring();
        foreach (var key in ModelState.Keys.Where(k => !k.StartsWith("Form.", StringComparison.Ordinal)).ToList())
        {
            ModelState.Remove(key);
        }
        Form.TryLocation(nameof(Form), ModelState, T, out var location);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await proposals.UpdateItemAsync(id, Form.ToUpdateRequest(location), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, ItemForm.ApiFields);
            return Page();
        }
        return Done(id, T["Staff_Saved"]);
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        FillContent();
        FillMonitoring();
        var result = await proposals.SetItemStatusAsync(id, new ItemStatusRequest(Status ?? "",
            string.IsNullOrWhiteSpace(PublicAnswer) ? null : PublicAnswer.Trim(), string.IsNullOrWhiteSpace(InternalNote) ? null : InternalNote.Trim()), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string>
            {
                ["status"] = nameof(Status), ["publicAnswer"] = nameof(PublicAnswer), ["internalNote"] = nameof(InternalNote),
            });
            return Page();
        }
        return Done(id, T["Staff_Saved"]);
    }

    public async Task<IActionResult> OnPostMonitoringAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        FillContent();
        FillStatus();
        if (ProgressPercent is null or < 0 or > 100)
        {
            ModelState.AddModelError(nameof(ProgressPercent), T["Monitoring_ProgressRange"]);
        }
        // Rows kept in the order shown; the index of each kept row is remembered to place the service's errors.
        var kept = new List<(int Row, MilestoneDto Milestone)>();
        for (var i = 0; i < Milestones.Count; i++)
        {
            var row = Milestones[i];
            if (row.Remove || row.Blank)
            {
                continue;
            }
            if (string.IsNullOrWhiteSpace(row.Title))
            {
                ModelState.AddModelError($"Milestones[{i}].Title", T["Milestone_TitleRequired"]);
            }
            else if (row.Title.Trim().Length > 300)
            {
                ModelState.AddModelError($"Milestones[{i}].Title", T["Milestone_TitleLength"]);
            }
            if (row.DueOn is null)
            {
                ModelState.AddModelError($"Milestones[{i}].DueOn", T["Milestone_DueRequired"]);
            }
            if (!string.IsNullOrWhiteSpace(row.Title) && row.DueOn is { } due)
            {
                kept.Add((i, new MilestoneDto(row.Title.Trim(), due, row.DoneOn)));
            }
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await proposals.UpdateMonitoringAsync(id, new MonitoringRequest(WireCode.Parse<MeasureStatus>(MonitoringStatus) ?? MeasureStatus.NotStarted, ProgressPercent!.Value,
            string.IsNullOrWhiteSpace(ResponsibleOffice) ? null : ResponsibleOffice.Trim(), kept.Select(k => k.Milestone).ToList(),
            string.IsNullOrWhiteSpace(MonitoringNote) ? null : MonitoringNote.Trim()), ct);
        if (!result.Ok)
        {
            var fields = new Dictionary<string, string>
            {
                ["status"] = nameof(MonitoringStatus), ["progressPercent"] = nameof(ProgressPercent), ["responsibleOffice"] = nameof(ResponsibleOffice),
                ["note"] = nameof(MonitoringNote),
            };
            for (var k = 0; k < kept.Count; k++)
            {
                fields[$"milestones[{k}].title"] = $"Milestones[{kept[k].Row}].Title";
                fields[$"milestones[{k}].dueOn"] = $"Milestones[{kept[k].Row}].DueOn";
                fields[$"milestones[{k}].doneOn"] = $"Milestones[{kept[k].Row}].DoneOn";
            }
            AddProblem(result.Problem!, fields);
            return Page();
        }
        return Done(id, T["Staff_MonitoringSaved"]);
    }

    // A form sent back with an error keeps what was typed; the page's other forms show the item as it is.
    private void FillContent()
    {
        var (process, parents) = (Form.Process, Form.Parents);
        Form = ItemForm.From(Item);
        (Form.Process, Form.Parents) = (process, parents);
    }

    private void FillStatus() => (Status, PublicAnswer, InternalNote) = (Item.Status, Item.PublicAnswer, Item.InternalNote);

    private void FillMonitoring() =>
        (MonitoringStatus, ProgressPercent, ResponsibleOffice) = (WireCode.Of(Item.Monitoring?.Status ?? MeasureStatus.NotStarted), Item.Monitoring?.ProgressPercent ?? 0,
            Item.Monitoring?.ResponsibleOffice);

    private IActionResult Done(Guid id, string message)
    {
        Flash(message);
        return Redirect($"/verwaltung/inhalte/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var item = await proposals.ItemAsync(id, ct);
        if (!item.Ok)
        {
            return StatusCode(item.Status == 404 ? 404 : 400);
        }
        Item = item.Value!;
        if (Milestones.Count == 0)
        {
            Milestones = (Item.Monitoring?.Milestones ?? []).Select(m => new MilestoneRow { Title = m.Title, DueOn = m.DueOn, DoneOn = m.DoneOn, Existing = true })
                .Concat(Enumerable.Range(0, BlankMilestones).Select(_ => new MilestoneRow())).ToList();
        }
        Form.Process = (await proposals.ProcessAsync(Item.ProcessId, ct)).Value;
        if (Form.Process is null)
        {
            return StatusCode(404);
        }
        Form.Parents = (await proposals.ItemsAsync(Item.ProcessId, new ItemQuery(Sort: "title", PageSize: 100), ct)).Value?.Items
            .Where(i => i.Kind is "vision" or "guiding-goal" && i.Id != id).ToList() ?? [];
        return null;
    }
}
