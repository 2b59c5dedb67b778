using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

public sealed class ItemNewModel(ProposalsApi proposals) : WebPage
{
    [BindProperty] public ItemForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid processId, CancellationToken ct) => await LoadAsync(processId, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid processId, CancellationToken ct)
    {
        if (await LoadAsync(processId, ct) is { } missing)
        {
            return missing;
        }
        Form.TryLocation(nameof(Form), ModelState, T, out var location);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await proposals.CreateItemAsync(processId, Form.ToCreateRequest(location), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, ItemForm.ApiFields);
            return Page();
        }
        Flash(T["Staff_ItemCreated"]);
        return Redirect($"/verwaltung/inhalte/{result.Value!.Id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid processId, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(processId, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Form.Process = process.Value;
        Form.Parents = (await proposals.ItemsAsync(processId, new ItemQuery(Sort: "title", PageSize: 100), ct)).Value?.Items
            .Where(i => i.Kind is "vision" or "guiding-goal").ToList() ?? [];
        return null;
    }
}
