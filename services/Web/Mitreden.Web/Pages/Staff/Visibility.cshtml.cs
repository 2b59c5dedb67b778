using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>
/// Who may see a process: everyone, invited members (found by Identity's user search, as for role grants) or staff only.
/// Proposals keeps the setting and tells the other services; this page only passes the choices on.
/// </summary>
public sealed class VisibilityModel(ProposalsApi proposals, IdentityApi identity) : WebPage
{
    /// <summary>Names are looked up one by one; a longer member list shows the rest by account id.</summary>
    public const int NamesShown = 100;

    public ProcessResponse Process { get; private set; } = null!;
    public ProcessVisibilityResponse Current { get; private set; } = null!;
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();
    public UsersPage? Found { get; private set; }

    [BindProperty] public string? Visibility { get; set; }
    [BindProperty(SupportsGet = true, Name = "suche")] public string? Search { get; set; }

    public static IReadOnlyList<string> Choices => ProcessVisibilities.All;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var found = await identity.SearchUsersAsync(Search.Trim(), 1, ct);
            Found = found.Value;
            if (!found.Ok)
            {
                AddProblem(found.Problem!, new Dictionary<string, string> { ["q"] = nameof(Search) });
            }
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var result = await proposals.SetVisibilityAsync(id, Visibility ?? "", ct);
        return await AfterAsync(id, result, ct);
    }

    public async Task<IActionResult> OnPostMemberAsync(Guid id, Guid accountId, bool member, CancellationToken ct)
    {
        var result = await proposals.SetMemberAsync(id, accountId, member, ct);
        return await AfterAsync(id, result, ct);
    }

    private async Task<IActionResult> AfterAsync(Guid id, ApiResult<ProcessVisibilityResponse> result, CancellationToken ct)
    {
        if (!result.Ok)
        {
            ModelState.Clear();
            AddProblem(result.Problem!);
            return await LoadAsync(id, ct) ?? Page();
        }
        Flash(T["Staff_Saved"]);
        return Redirect($"/verwaltung/prozesse/{id}/sichtbarkeit");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        var visibility = await proposals.VisibilityAsync(id, ct);
        if (!process.Ok || !visibility.Ok)
        {
            return StatusCode(process.Status == 404 || visibility.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        Current = visibility.Value!;
        Visibility ??= Current.Visibility;
        var names = new Dictionary<Guid, string>();
        foreach (var member in Current.Members.Take(NamesShown))
        {
            if ((await identity.UserAsync(member.AccountId, ct)).Value is { } user)
            {
                names[member.AccountId] = user.DisplayName;
            }
        }
        Names = names;
        return null;
    }
}
