using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>
/// One ballot for staff: open it, extend or close it, import in-person results (workshop dots, paper ballots) until the
/// close and correct the final result afterwards (with a reason, as a new version), run a recount, and download every
/// export (tally and votes in each format).
/// </summary>
public sealed class BallotModel(VotingApi voting) : WebPage
{
    public BallotView Ballot { get; private set; } = null!;
    public BallotState State { get; private set; }
    public ResultsView? Results { get; private set; }
    public IReadOnlyList<InPersonView> InPerson { get; private set; } = [];
    public IReadOnlyList<RecountView> Recounts { get; private set; } = [];

    [BindProperty] public string? Source { get; set; }
    [BindProperty] public int? Participants { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public Dictionary<Guid, string?> InPersonValues { get; set; } = [];
    [BindProperty] public string? ExtendTo { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public Guid? Supersedes { get; set; }
    public IReadOnlyList<ResultVersionView> Versions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct) =>
        await AfterAsync(id, await voting.OpenBallotAsync(id, ct), T["Staff_BallotOpened"], ct);

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) =>
        await AfterAsync(id, await voting.CloseBallotAsync(id, ct), T["Staff_BallotClosed"], ct);

    public async Task<IActionResult> OnPostExtendAsync(Guid id, CancellationToken ct)
    {
        if (Display.FromInputDateTime(ExtendTo) is not { } until)
        {
            ModelState.Clear();
            ModelState.AddModelError(nameof(ExtendTo), T["Phase_EndAfterStart"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        return await AfterAsync(id, await voting.ExtendBallotAsync(id, until, ct), T["Staff_BallotExtended"], ct);
    }

    public async Task<IActionResult> OnPostRecountAsync(Guid id, CancellationToken ct)
    {
        var result = await voting.RecountAsync(id, ct);
        var message = result.Value is { } r ? (r.Matches ? T["Staff_RecountMatches"] : T["Staff_RecountDiffers"]) : "";
        return await AfterAsync(id, result, message, ct);
    }

    public async Task<IActionResult> OnPostInPersonAsync(Guid id, CancellationToken ct)
    {
        if (ReadLines() is not { } lines)
        {
            return await LoadAsync(id, ct) ?? Page();
        }
        var result = await voting.ImportInPersonAsync(id, new InPersonInput(Source?.Trim() ?? "", lines,
            string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(), Participants), ct);
        return await AfterAsync(id, result, T["Staff_InPersonImported"], ct, InPersonFields(lines));
    }

    /// <summary>After close: a correction with a reason, published by Voting as a new result version.</summary>
    public async Task<IActionResult> OnPostCorrectAsync(Guid id, CancellationToken ct)
    {
        if (ReadLines() is not { } lines)
        {
            return await LoadAsync(id, ct) ?? Page();
        }
        var result = await voting.CorrectResultAsync(id, new ResultCorrectionInput(Source?.Trim() ?? "", lines, Reason?.Trim() ?? "",
            string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(), Participants, Supersedes), ct);
        return await AfterAsync(id, result, result.Value is { } v ? T["Staff_Corrected", v.Version] : "", ct, InPersonFields(lines));
    }

    /// <summary>
    /// The typed numbers as numbers ("12", "12,5" and "12.5" alike: staff type what their sheet says). Whether they are
    /// possible for the ballot is Voting's decision; its field errors are shown at the fields.
    /// </summary>
    private List<InPersonLine>? ReadLines()
    {
        ModelState.Clear();
        var lines = new List<InPersonLine>();
        foreach (var (optionId, raw) in InPersonValues)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            if (decimal.TryParse(raw.Trim().Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                lines.Add(new InPersonLine(optionId, value));
            }
            else
            {
                ModelState.AddModelError($"InPersonValues[{optionId}]", T["Staff_InPersonNumber", raw]);
            }
        }
        return ModelState.IsValid ? lines : null;
    }

    /// <summary>Voting's field paths (<c>results[2].value</c>) → the form's fields.</summary>
    private static Dictionary<string, string> InPersonFields(IReadOnlyList<InPersonLine> lines)
    {
        var fields = new Dictionary<string, string>
        {
            ["source"] = nameof(Source), ["participants"] = nameof(Participants), ["note"] = nameof(Note), ["reason"] = nameof(Reason),
            ["supersedes"] = nameof(Supersedes), ["results"] = "",
        };
        for (var i = 0; i < lines.Count; i++)
        {
            fields[$"results[{i}].value"] = fields[$"results[{i}].optionId"] = $"InPersonValues[{lines[i].OptionId}]";
        }
        return fields;
    }

    public async Task<IActionResult> OnGetExportAsync(Guid id, string kind, string format, CancellationToken ct)
    {
        if (!VotingApi.ExportKinds.Contains(kind) || !VotingApi.ExportFormats.Contains(format))
        {
            return StatusCode(404);
        }
        var (file, problem) = await voting.ExportAsync(id, kind, format, ct);
        if (file is null)
        {
            ModelState.AddModelError("", ProblemMessage(problem!));
            return await LoadAsync(id, ct) ?? Page();
        }
        Response.Headers.CacheControl = "no-store";
        return File(file.Content, file.ContentType, file.FileName ?? $"abstimmung-{id:N}-{kind}.{format}");
    }

    private async Task<IActionResult> AfterAsync<TValue>(Guid id, ApiResult<TValue> result, string message, CancellationToken ct,
        IReadOnlyDictionary<string, string>? fields = null)
    {
        if (result.Ok)
        {
            Flash(message);
            return Redirect($"/verwaltung/abstimmungen/{id}");
        }
        ModelState.Clear();
        AddProblem(result.Problem!, fields);
        return await LoadAsync(id, ct) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var ballot = await voting.BallotAsync(id, ct);
        if (!ballot.Ok)
        {
            return StatusCode(ballot.Status == 404 ? 404 : 400);
        }
        Ballot = ballot.Value!;
        State = Ballot.CurrentState(DateTimeOffset.UtcNow);
        ExtendTo ??= Display.InputDateTime((Ballot.ClosesAt ?? DateTimeOffset.UtcNow).AddDays(7));
        if (State != BallotState.Draft)
        {
            Results = (await voting.ResultsAsync(id, ct)).Value;
            InPerson = (await voting.InPersonEntriesAsync(id, ct)).Value ?? [];
            Recounts = (await voting.RecountsAsync(id, ct)).Value ?? [];
            if (State == BallotState.Closed)
            {
                Versions = (await voting.ResultVersionsAsync(id, ct)).Value ?? [];
            }
        }
        return null;
    }
}
