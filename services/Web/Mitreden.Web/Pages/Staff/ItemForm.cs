using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>The fields of an official item (vision, guiding goal, measure, scenario) as staff edit them.</summary>
public sealed class ItemForm
{
    public string Kind { get; set; } = "measure";

    [Required(ErrorMessage = "Item_TitleRequired"), StringLength(300, ErrorMessage = "Item_TitleLength")]
    public string? Title { get; set; }

    [Required(ErrorMessage = "Item_DescriptionRequired"), StringLength(20_000)]
    public string? Description { get; set; }

    public List<Guid> FieldOfActionIds { get; set; } = [];
    public List<Guid> ThemeIds { get; set; } = [];
    public string? District { get; set; }
    public Guid? ParentId { get; set; }
    /// <summary>The phase the item belongs to: it then follows that phase's visibility (Proposals decides).</summary>
    public Guid? PhaseId { get; set; }
    public string? Priority { get; set; }

    [Range(0, 10_000_000_000, ErrorMessage = "Item_CostRange")]
    public decimal? CostEstimate { get; set; }

    /// <summary>The place as typed (decimal degrees); both empty: none. Range and city area are Proposals' rule.</summary>
    public string? Latitude { get; set; }
    public string? Longitude { get; set; }

    /// <summary>Lists the form shows (not bound).</summary>
    public ProcessResponse? Process { get; set; }
    public IReadOnlyList<ItemResponse> Parents { get; set; } = [];

    /// <summary>The place of the coordinate fields (bound under <paramref name="prefix"/>); false with field errors when they make none.</summary>
    public bool TryLocation(string prefix, ModelStateDictionary state, IStringLocalizer text, out GeoPoint? location) =>
        LocationInput.TryRead(Latitude, Longitude, $"{prefix}.{nameof(Latitude)}", $"{prefix}.{nameof(Longitude)}", state, text, out location);

    /// <summary>What Proposals stores for a new item: the whole item, the place included (no place: the item has none).</summary>
    public CreateItemRequest ToCreateRequest(GeoPoint? location) => new(Title!.Trim(), Description!.Trim(), Kind, FieldOfActionIds, ThemeIds,
        DistrictOrNull, ParentId, WireCode.Parse<Priority>(Priority), CostEstimate, PhaseId, location);

    /// <summary>What Proposals stores for an item being edited: everything but its kind, the place included.</summary>
    public UpdateItemRequest ToUpdateRequest(GeoPoint? location) => new(Title!.Trim(), Description!.Trim(), FieldOfActionIds, ThemeIds,
        DistrictOrNull, ParentId, WireCode.Parse<Priority>(Priority), CostEstimate, PhaseId, location);

    private string? DistrictOrNull => string.IsNullOrWhiteSpace(District) ? null : District.Trim();

    public static ItemForm From(ItemResponse item) => new()
    {
        Kind = item.Kind, Title = item.Title, Description = item.Description, FieldOfActionIds = item.FieldOfActionIds.ToList(),
        ThemeIds = item.ThemeIds.ToList(), District = item.District, ParentId = item.ParentId, Priority = item.Priority is { } priority ? WireCode.Of(priority) : null, CostEstimate = item.CostEstimate,
        PhaseId = item.PhaseId, Latitude = LocationInput.Format(item.Location?.Latitude), Longitude = LocationInput.Format(item.Location?.Longitude),
    };

    public static readonly IReadOnlyDictionary<string, string> ApiFields = new Dictionary<string, string>
    {
        ["title"] = "Form.Title", ["description"] = "Form.Description", ["kind"] = "Form.Kind", ["fieldOfActionIds"] = "Form.FieldOfActionIds",
        ["themeIds"] = "Form.ThemeIds", ["district"] = "Form.District", ["parentId"] = "Form.ParentId", ["priority"] = "Form.Priority",
        ["costEstimate"] = "Form.CostEstimate", ["phaseId"] = "Form.PhaseId", ["location"] = "Form.Latitude", ["location.latitude"] = "Form.Latitude",
        ["location.longitude"] = "Form.Longitude",
    };
}
