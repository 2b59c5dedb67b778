using System.ComponentModel.DataAnnotations;
using Mitreden.Web.Api;

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

    /// <summary>Lists the form shows (not bound).</summary>
    public Process? Process { get; set; }
    public IReadOnlyList<Item> Parents { get; set; } = [];

    public ItemRequest ToRequest() => new(Title!.Trim(), Description!.Trim(), Kind, FieldOfActionIds, ThemeIds,
        string.IsNullOrWhiteSpace(District) ? null : District.Trim(), ParentId, string.IsNullOrEmpty(Priority) ? null : Priority, CostEstimate, PhaseId);

    public static ItemForm From(Item item) => new()
    {
        Kind = item.Kind, Title = item.Title, Description = item.Description, FieldOfActionIds = item.FieldOfActionIds.ToList(),
        ThemeIds = item.ThemeIds.ToList(), District = item.District, ParentId = item.ParentId, Priority = item.Priority, CostEstimate = item.CostEstimate,
        PhaseId = item.PhaseId,
    };

    public static readonly IReadOnlyDictionary<string, string> ApiFields = new Dictionary<string, string>
    {
        ["title"] = "Form.Title", ["description"] = "Form.Description", ["kind"] = "Form.Kind", ["fieldOfActionIds"] = "Form.FieldOfActionIds",
        ["themeIds"] = "Form.ThemeIds", ["district"] = "Form.District", ["parentId"] = "Form.ParentId", ["priority"] = "Form.Priority",
        ["costEstimate"] = "Form.CostEstimate", ["phaseId"] = "Form.PhaseId",
    };
}
