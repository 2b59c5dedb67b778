using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Moderation;

/// <summary>Who is blocked now (display names and block data only, never emails), searchable, each with a button to lift the block.</summary>
public sealed class BlocksModel(IdentityApi identity) : WebPage
{
    public BlockedUsersPage Blocks { get; private set; } = new([], 1, 50, 0);

    [BindProperty(SupportsGet = true, Name = "suche")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "seite")] public int? PageNumber { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostUnblockAsync(Guid userId, string? displayName, CancellationToken ct)
    {
        var result = await identity.UnblockUserAsync(userId, ct);
        if (!result.Ok)
        {
            ModelState.Clear();
            AddProblem(result.Problem!);
            await LoadAsync(ct);
            return Page();
        }
        Flash(T["Blocks_Unblocked", displayName ?? userId.ToString()[..8]]);
        return Redirect("/moderation/sperren" + (string.IsNullOrWhiteSpace(Query) ? "" : $"?suche={Uri.EscapeDataString(Query)}"));
    }

    public string PageLink(int page) =>
        $"/moderation/sperren?seite={page}" + (string.IsNullOrWhiteSpace(Query) ? "" : $"&suche={Uri.EscapeDataString(Query)}");

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = PageNumber is >= 1 and <= 10_000 ? PageNumber : null;
        var result = await identity.BlockedUsersAsync(string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(), PageNumber, ct);
        if (result.Ok)
        {
            Blocks = result.Value!;
        }
        else
        {
            ModelState.AddModelError("", ProblemMessage(result.Problem!));
        }
    }
}
