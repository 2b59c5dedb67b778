using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Account;

/// <summary>
/// The author edits their own idea (title, description, fields of action) until the city has answered it and while the
/// process is not archived; Proposals enforces the same rules and its refusal is shown.
/// </summary>
public sealed class EditIdeaModel(ProposalsApi proposals) : WebPage, ILocationForm
{
    public ItemResponse Item { get; private set; } = null!;
    public ProcessResponse Process { get; private set; } = null!;

    /// <summary>Why the idea can no longer be edited (answered, archived), or null.</summary>
    public string? Closed { get; private set; }

    [BindProperty, Required(ErrorMessage = "Item_TitleRequired"), StringLength(300, ErrorMessage = "Item_TitleLength")]
    public string? Title { get; set; }

    [BindProperty, Required(ErrorMessage = "Item_DescriptionRequired"), StringLength(20_000)]
    public string? Description { get; set; }

    [BindProperty]
    public List<Guid> FieldOfActionIds { get; set; } = [];

    [BindProperty] public string? Latitude { get; set; }
    [BindProperty] public string? Longitude { get; set; }
    [BindProperty] public string? District { get; set; }
    public IReadOnlyList<DistrictResponse> Districts { get; private set; } = [];
    public MapView? LocationMap { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        (Title, Description, FieldOfActionIds) = (Item.Title, Item.Description, Item.FieldOfActionIds.ToList());
        (Latitude, Longitude, District) = (LocationInput.Format(Item.Location?.Latitude), LocationInput.Format(Item.Location?.Longitude), Item.District);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        var located = LocationInput.TryRead(Latitude, Longitude, nameof(Latitude), nameof(Longitude), ModelState, T, out var location);
        if (Closed is not null || !ModelState.IsValid || !located)
        {
            return Page();
        }
        // Everything the author does not edit is sent back as it is (Proposals replaces the whole item).
        var result = await proposals.UpdateItemAsync(id, new UpdateItemRequest(Title!.Trim(), Description!.Trim(), FieldOfActionIds,
            Item.ThemeIds, string.IsNullOrEmpty(District) ? null : District, Item.ParentId, Item.Priority, Item.CostEstimate, Location: location), ct);
        if (!result.Ok)
        {
            var fields = new Dictionary<string, string>
            {
                ["title"] = nameof(Title), ["description"] = nameof(Description), ["fieldOfActionIds"] = nameof(FieldOfActionIds),
            };
            LocationInput.MapFields(fields, nameof(Latitude), nameof(Longitude));
            AddProblem(result.Problem!, fields);
            return Page();
        }
        Flash(T["EditIdea_Done"]);
        return LocalRedirect($"/inhalte/{id}");
    }

    /// <summary>Whether the item page offers the author to edit (the same rules as Proposals).</summary>
    public static bool CanEdit(ItemResponse item, ProcessResponse? process) =>
        item.IsOwn && item.Kind == "citizen-idea" && item.AnsweredAt is null && process?.Status != ProcessStatus.Archived;

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var item = await proposals.ItemAsync(id, ct);
        if (!item.Ok)
        {
            return StatusCode(item.Status == 404 ? 404 : 400);
        }
        Item = item.Value!;
        if (!Item.IsOwn || Item.Kind != "citizen-idea")
        {
            return Forbid();
        }
        var process = await proposals.ProcessAsync(Item.ProcessId, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        Districts = (await proposals.DistrictsAsync(Process.City, ct)).Value ?? [];
        var map = await proposals.MapAsync(Process.Id, null, ct);
        LocationMap = map.Ok ? new MapView("pick-map", T["Map_PickLabel"], map.Value!.Area, [], nameof(Latitude), nameof(Longitude)) : null;
        Closed = Item.AnsweredAt is not null ? T["EditIdea_Answered"].Value : Process.Status == ProcessStatus.Archived ? T["EditIdea_Archived"].Value : null;
        return null;
    }
}
