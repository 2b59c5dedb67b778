using Microsoft.AspNetCore.Mvc;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>Letter codes for residency verification: a batch per district, downloaded once as CSV for the mail merge.</summary>
public sealed class LetterCodesModel(IdentityApi identity) : WebPage
{
    public IReadOnlyList<BatchView> Batches { get; private set; } = [];

    [BindProperty] public string? District { get; set; }
    [BindProperty] public int? Count { get; set; } = 100;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        if (string.IsNullOrWhiteSpace(District))
        {
            ModelState.AddModelError(nameof(District), T["Codes_DistrictRequired"]);
        }
        if (Count is null)
        {
            // The range is Identity's rule: it answers with a code the page says at the field.
            ModelState.AddModelError(nameof(Count), T["FieldError_letter-code-count"]);
        }
        if (ModelState.IsValid)
        {
            var (file, problem) = await identity.CreateLetterCodesAsync(District!.Trim(), Count!.Value, ct);
            if (file is not null)
            {
                Response.Headers.CacheControl = "no-store";
                return File(file.Content, "text/csv; charset=utf-8", file.FileName ?? $"briefcodes-{District.Trim()}.csv");
            }
            AddProblem(problem!, new Dictionary<string, string> { ["district"] = nameof(District), ["count"] = nameof(Count) });
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) => Batches = (await identity.LetterCodeBatchesAsync(ct)).Value ?? [];
}
