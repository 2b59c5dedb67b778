using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>One item for staff: content, status with the public answer and internal note, and monitoring for measures.</summary>
public sealed class ItemModel(ProposalsApi proposals) : WebPage
{
    public Item Item { get; private set; } = null!;

    [BindProperty] public ItemForm Form { get; set; } = new();

    [BindProperty] public string? Status { get; set; }
    [BindProperty] public string? PublicAnswer { get; set; }
    [BindProperty] public string? InternalNote { get; set; }

    [BindProperty] public string? MonitoringStatus { get; set; }
    [BindProperty] public int? ProgressPercent { get; set; }
    [BindProperty] public string? ResponsibleOffice { get; set; }
    [BindProperty] public string? MonitoringNote { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        var process = Form.Process;
        var parents = Form.Parents;
        Form = ItemForm.From(Item);
        (Form.Process, Form.Parents) = (process, parents);
        (Status, PublicAnswer, InternalNote) = (Item.Status, Item.PublicAnswer, Item.InternalNote);
        (MonitoringStatus, ProgressPercent, ResponsibleOffice) = (Item.Monitoring?.Status ?? "not-started", Item.Monitoring?.ProgressPercent ?? 0,
            Item.Monitoring?.ResponsibleOffice);
        return Page();
    }

    public async Task<IActionResult> OnPostContentAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        foreach (var key in ModelState.Keys.Where(k => !k.StartsWith("Form.", StringComparison.Ordinal)).ToList())
        {
            ModelState.Remove(key);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await proposals.UpdateItemAsync(id, Form.ToRequest(), ct);
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
        if (ProgressPercent is null or < 0 or > 100)
        {
            ModelState.AddModelError(nameof(ProgressPercent), T["Monitoring_ProgressRange"]);
            return Page();
        }
        var result = await proposals.UpdateMonitoringAsync(id, new MonitoringRequest(MonitoringStatus ?? "not-started", ProgressPercent.Value,
            string.IsNullOrWhiteSpace(ResponsibleOffice) ? null : ResponsibleOffice.Trim(), null,
            string.IsNullOrWhiteSpace(MonitoringNote) ? null : MonitoringNote.Trim()), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string>
            {
                ["status"] = nameof(MonitoringStatus), ["progressPercent"] = nameof(ProgressPercent), ["responsibleOffice"] = nameof(ResponsibleOffice),
                ["note"] = nameof(MonitoringNote),
            });
            return Page();
        }
        return Done(id, T["Staff_MonitoringSaved"]);
    }

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
