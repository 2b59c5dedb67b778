using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>
/// Roles of one account, found by name, email address or id: the page offers only the role buttons Identity says the
/// signed-in person may use (staff grant moderator; admins also staff and admin).
/// </summary>
public sealed class UsersModel(IdentityApi identity) : WebPage
{
    public static readonly IReadOnlyList<string> Roles = ["moderator", "staff", "admin"];

    [BindProperty(SupportsGet = true, Name = "id")] public Guid? UserId { get; set; }
    [BindProperty(SupportsGet = true, Name = "suche")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "seite")] public int PageNumber { get; set; } = 1;

    public UserView? Account { get; private set; }
    public UsersPage? Found { get; private set; }

    /// <summary>The role buttons to show: Identity's answer, in the page's order.</summary>
    public IEnumerable<string> OfferedRoles => Roles.Where(r => Account?.AssignableRoles?.Contains(r) == true);

    public string SearchUrl(int page) => $"/verwaltung/nutzer?suche={Uri.EscapeDataString(Search ?? "")}" + (page > 1 ? $"&seite={page}" : "");

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var found = await identity.SearchUsersAsync(Search.Trim(), Math.Clamp(PageNumber, 1, 10_000), ct);
            Found = found.Value;
            if (!found.Ok)
            {
                AddProblem(found.Problem!, new Dictionary<string, string> { ["q"] = nameof(Search) });
            }
        }
    }

    public async Task<IActionResult> OnPostAsync(string role, bool grant, CancellationToken ct)
    {
        if (UserId is not { } id || !Roles.Contains(role))
        {
            return StatusCode(400);
        }
        var result = await identity.SetRoleAsync(id, role, grant, ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!);
            await LoadAsync(ct);
            return Page();
        }
        Flash(T["Staff_Saved"]);
        return Redirect($"/verwaltung/nutzer?id={id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (UserId is not { } id)
        {
            return;
        }
        var result = await identity.UserAsync(id, ct);
        Account = result.Value;
        if (!result.Ok)
        {
            ModelState.AddModelError(nameof(UserId), ProblemMessage(result.Problem!));
        }
    }
}
