using Microsoft.AspNetCore.Mvc;
using Mitreden.Moderation.Contracts.Http;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Moderation;

/// <summary>
/// The append-only audit log of moderation for moderators: newest first, a page at a time, filtered by process, action
/// and date. Who decided is a pseudonymous id ("you" for one's own entries). Staff may also download all of it as CSV.
/// </summary>
public sealed class AuditModel(ModerationApi moderation, ProposalsApi proposals) : WebPage
{
    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];
    public string? Next { get; private set; }
    public IReadOnlyList<ProcessSummary> Processes { get; private set; } = [];
    public Guid? Me { get; private set; }

    [BindProperty(SupportsGet = true, Name = "von")] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "bis")] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "prozess")] public Guid? ProcessId { get; set; }
    [BindProperty(SupportsGet = true, Name = "aktion")] public string? Action { get; set; }
    [BindProperty(SupportsGet = true, Name = "weiter")] public string? Cursor { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Me = User.TryGetUserId(out var me) ? me : null;
        Action = Action is not null && ModerationApi.AuditActions.Contains(Action) ? Action : null;
        Processes = (await proposals.ProcessesAsync(ct)).Value ?? [];
        if (From is { } f && To is { } t && f > t)
        {
            ModelState.AddModelError("bis", T["Audit_RangeInvalid"]);
            return;
        }
        DateTimeOffset? from = From is { } day ? CityDayStart(day) : null;
        DateTimeOffset? to = To is { } last ? CityDayStart(last.AddDays(1)) : null;
        var result = await moderation.AuditEntriesAsync(from, to, ProcessId, Action, Cursor, ct);
        if (result.Ok)
        {
            Records = result.Value!.Items;
            Next = result.Value.Next;
        }
        else
        {
            ModelState.AddModelError("", ProblemMessage(result.Problem!));
        }
    }

    /// <summary>Staff only (Moderation refuses others): the whole log as CSV for the chosen process.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (!IsStaff)
        {
            return Forbid();
        }
        var (file, problem) = await moderation.AuditCsvAsync(ProcessId,
            System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "de", ct);
        if (file is null)
        {
            return StatusCode(problem!.Status == 403 ? 403 : 503);
        }
        return File(file.Content, "text/csv; charset=utf-8", file.FileName ?? "moderation-audit.csv");
    }

    /// <summary>The query of this page with another cursor (for the "older entries" link).</summary>
    public string PageLink(string? cursor)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("von", From?.ToString("yyyy-MM-dd"));
        Add("bis", To?.ToString("yyyy-MM-dd"));
        Add("prozess", ProcessId?.ToString());
        Add("aktion", Action);
        Add("weiter", cursor);
        return "/moderation/protokoll" + (parts.Count > 0 ? "?" + string.Join("&", parts) : "");
    }

    private static DateTimeOffset CityDayStart(DateOnly day) =>
        Display.FromInputDateTime(day.ToString("yyyy-MM-dd") + "T00:00") ?? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
