using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>Roles of one account (by its id, e.g. from a moderation case): staff grant moderator; only admins grant staff or admin.</summary>
public sealed class UsersModel(IdentityApi identity) : WebPage
{
    public static readonly IReadOnlyList<string> Roles = ["moderator", "staff", "admin"];

    [BindProperty(SupportsGet = true, Name = "id")] public Guid? UserId { get; set; }

    public AdminUser? Account { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

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
