using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Account;

/// <summary>Citizens propose an idea while the current phase has proposing switched on.</summary>
public sealed class ProposeModel(ProposalsApi proposals) : WebPage, ILocationForm
{
    public ProcessResponse Process { get; private set; } = null!;

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

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        var located = LocationInput.TryRead(Latitude, Longitude, nameof(Latitude), nameof(Longitude), ModelState, T, out var location);
        if (!ModelState.IsValid || !located)
        {
            return Page();
        }
        var result = await proposals.CreateItemAsync(id, new CreateItemRequest(Title!.Trim(), Description!.Trim(), ItemKinds.CitizenIdea,
            FieldOfActionIds, District: string.IsNullOrEmpty(District) ? null : District, Location: location), ct);
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
        Flash(T["Propose_Done"]);
        return LocalRedirect($"/inhalte/{result.Value!.Id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        Districts = (await proposals.DistrictsAsync(Process.City, ct)).Value ?? [];
        var map = await proposals.MapAsync(id, null, ct);
        LocationMap = map.Ok ? new MapView("pick-map", T["Map_PickLabel"], map.Value!.Area, [], nameof(Latitude), nameof(Longitude)) : null;
        return null;
    }
}
