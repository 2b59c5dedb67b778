using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

public sealed class ProcessNewModel(ProposalsApi proposals) : WebPage
{
    [BindProperty, Required(ErrorMessage = "Item_TitleRequired"), StringLength(200, ErrorMessage = "Item_TitleLength")]
    public string? Title { get; set; }

    [BindProperty, Required(ErrorMessage = "Process_CityRequired"), StringLength(100)]
    public string? City { get; set; }

    [BindProperty, StringLength(20_000)]
    public string? Description { get; set; }

    [BindProperty] public DateOnly? StartsOn { get; set; }
    [BindProperty] public DateOnly? EndsOn { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await proposals.CreateProcessAsync(new ProcessRequest(Title!.Trim(), City!.Trim(), Description?.Trim() ?? "", StartsOn, EndsOn), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, ProcessFields.Map);
            return Page();
        }
        Flash(T["Staff_ProcessCreated"]);
        return Redirect($"/verwaltung/prozesse/{result.Value!.Id}");
    }
}

internal static class ProcessFields
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["title"] = "Title", ["city"] = "City", ["description"] = "Description", ["startsOn"] = "StartsOn", ["endsOn"] = "EndsOn",
    };
}
