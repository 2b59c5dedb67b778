using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>Voting codes for closed groups (e.g. council members): a group per ballot audience, codes downloaded once as CSV.</summary>
public sealed class VotingCodesModel(IdentityApi identity) : WebPage
{
    public IReadOnlyList<GroupView> Groups { get; private set; } = [];

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public int? Count { get; set; } = 50;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (string.IsNullOrWhiteSpace(Name))
        {
            ModelState.AddModelError(nameof(Name), T["Codes_NameRequired"]);
        }
        if (Count is null or < 1 or > 10_000)
        {
            ModelState.AddModelError(nameof(Count), T["Codes_CountRange"]);
        }
        if (ModelState.IsValid)
        {
            var (file, problem) = await identity.CreateVotingCodesAsync(Name!.Trim(), Count!.Value, ct);
            if (file is not null)
            {
                Response.Headers.CacheControl = "no-store";
                return File(file.Content, "text/csv; charset=utf-8", file.FileName ?? "abstimmungscodes.csv");
            }
            AddProblem(problem!, new Dictionary<string, string> { ["name"] = nameof(Name), ["count"] = nameof(Count) });
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) => Groups = (await identity.VotingCodeGroupsAsync(ct)).Value ?? [];
}
