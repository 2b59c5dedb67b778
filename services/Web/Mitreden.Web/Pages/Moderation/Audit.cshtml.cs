using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Moderation;

/// <summary>The append-only audit log of moderation (Moderation serves it to staff; moderators see a notice).</summary>
public sealed class AuditModel(ModerationApi moderation) : WebPage
{
    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];
    public bool Forbidden { get; private set; }

    [BindProperty(SupportsGet = true, Name = "von")] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "bis")] public DateOnly? To { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var from = From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DateTimeOffset.UtcNow.AddDays(-30);
        DateTimeOffset? to = To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        var result = await moderation.AuditAsync(from, to, null, ct);
        if (result.Ok)
        {
            Records = result.Value!.OrderByDescending(r => r.Id).Take(500).ToList();
        }
        else if (result.Status == 403)
        {
            Forbidden = true;
        }
        else
        {
            ModelState.AddModelError("", ProblemMessage(result.Problem!));
        }
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var (file, problem) = await moderation.AuditCsvAsync(null, ct);
        if (file is null)
        {
            return StatusCode(problem!.Status == 403 ? 403 : 503);
        }
        return File(file.Content, "text/csv; charset=utf-8", file.FileName ?? "moderation-audit.csv");
    }
}
