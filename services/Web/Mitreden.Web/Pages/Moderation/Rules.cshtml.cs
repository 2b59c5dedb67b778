using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Moderation.Contracts.Http;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Moderation;

/// <summary>
/// The automatic screening rules, globally or for one process: moderators read them, staff change or reset them
/// (Moderation allows changes to staff only). Errors of the service are shown at their fields.
/// </summary>
public sealed class RulesModel(ModerationApi moderation, ProposalsApi proposals) : WebPage
{
    public ScreeningRulesView? Current { get; private set; }
    public IReadOnlyList<ProcessSummary> Processes { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "prozess")] public Guid? ProcessId { get; set; }

    [BindProperty] public RulesForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Current is { } view)
        {
            Form = RulesForm.From(view.Rules);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsStaff)
        {
            return Forbid();
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        var result = await moderation.SaveScreeningRulesAsync(ProcessId, Form.ToRules(), ct);
        if (!result.Ok)
        {
            AddRulesProblem(result.Problem!);
            await LoadAsync(ct);
            return Page();
        }
        Flash(T["Rules_Saved"]);
        return Redirect(Self());
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        if (!IsStaff)
        {
            return Forbid();
        }
        ModelState.Clear();
        var result = await moderation.ResetScreeningRulesAsync(ProcessId, ct);
        if (!result.Ok && !result.NotFound)
        {
            AddProblem(result.Problem!);
            await LoadAsync(ct);
            Form = Current is { } view ? RulesForm.From(view.Rules) : Form;
            return Page();
        }
        Flash(T["Rules_ResetDone"]);
        return Redirect(Self());
    }

    /// <summary>The service's field errors in the visitor's language (its own messages are English).</summary>
    private void AddRulesProblem(ApiProblem problem)
    {
        if (problem.Status != 422 || problem.Errors.Count == 0)
        {
            AddProblem(problem, RulesForm.ApiFields);
            return;
        }
        foreach (var (field, messages) in problem.Errors)
        {
            var key = RulesForm.ApiFields.TryGetValue(field, out var mapped) ? mapped : "";
            var message = RulesForm.Ranges.TryGetValue(field, out var range) ? T["Rules_Range", range.Min, range.Max].Value
                : field.StartsWith("words.", StringComparison.Ordinal) ? $"{T["Rules_WordsInvalid"]} ({string.Join(" ", messages)})"
                : string.Join(" ", messages);
            ModelState.AddModelError(key, message);
        }
    }

    private string Self() => "/moderation/regeln" + (ProcessId is { } p ? $"?prozess={p}" : "");

    private async Task LoadAsync(CancellationToken ct)
    {
        Processes = (await proposals.ProcessesAsync(ct)).Value ?? [];
        var current = await moderation.ScreeningRulesAsync(ProcessId, ct);
        if (current.Ok)
        {
            Current = current.Value;
        }
        else
        {
            ModelState.AddModelError("", ProblemMessage(current.Problem!));
        }
    }
}

/// <summary>The screening rules as form fields (word lists one entry per line).</summary>
public sealed class RulesForm
{
    public bool WordsEnabled { get; set; }
    public string WordsSeverity { get; set; } = "queue";
    [StringLength(200_000)] public string? WordsGerman { get; set; }
    [StringLength(200_000)] public string? WordsEnglish { get; set; }

    public bool LinksEnabled { get; set; }
    public string LinksSeverity { get; set; } = "queue";
    [Required(ErrorMessage = "Rules_NumberRequired")] public int? MaxLinks { get; set; }

    public bool RepeatedEnabled { get; set; }
    public string RepeatedSeverity { get; set; } = "queue";
    [Required(ErrorMessage = "Rules_NumberRequired")] public int? MaxRepeatsByAnyone { get; set; }
    [Required(ErrorMessage = "Rules_NumberRequired")] public int? MaxRepeatsByAuthor { get; set; }
    [Required(ErrorMessage = "Rules_NumberRequired")] public int? RepeatedWindowMinutes { get; set; }
    [Required(ErrorMessage = "Rules_NumberRequired")] public int? MinLength { get; set; }

    public bool RateEnabled { get; set; }
    public string RateSeverity { get; set; } = "queue";
    [Required(ErrorMessage = "Rules_NumberRequired")] public int? MaxComments { get; set; }
    [Required(ErrorMessage = "Rules_NumberRequired")] public int? RateWindowMinutes { get; set; }

    public static RulesForm From(ScreeningRules r) => new()
    {
        WordsEnabled = r.Words.Enabled, WordsSeverity = WireCode.Of(r.Words.Severity),
        WordsGerman = string.Join("\n", r.Words.German), WordsEnglish = string.Join("\n", r.Words.English),
        LinksEnabled = r.Links.Enabled, LinksSeverity = WireCode.Of(r.Links.Severity), MaxLinks = r.Links.MaxLinks,
        RepeatedEnabled = r.RepeatedText.Enabled, RepeatedSeverity = WireCode.Of(r.RepeatedText.Severity), MaxRepeatsByAnyone = r.RepeatedText.MaxRepeatsByAnyone,
        MaxRepeatsByAuthor = r.RepeatedText.MaxRepeatsByAuthor, RepeatedWindowMinutes = r.RepeatedText.WindowMinutes, MinLength = r.RepeatedText.MinLength,
        RateEnabled = r.PostingRate.Enabled, RateSeverity = WireCode.Of(r.PostingRate.Severity), MaxComments = r.PostingRate.MaxComments,
        RateWindowMinutes = r.PostingRate.WindowMinutes,
    };

    public ScreeningRules ToRules() => new(
        new WordRule(WordsEnabled, Severity(WordsSeverity), Lines(WordsGerman), Lines(WordsEnglish)),
        new LinkRule(LinksEnabled, Severity(LinksSeverity), MaxLinks ?? 0),
        new RepeatedTextRule(RepeatedEnabled, Severity(RepeatedSeverity), MaxRepeatsByAnyone ?? 0, MaxRepeatsByAuthor ?? 0, RepeatedWindowMinutes ?? 0,
            MinLength ?? 0),
        new PostingRateRule(RateEnabled, Severity(RateSeverity), MaxComments ?? 0, RateWindowMinutes ?? 0));

    private static FlagSeverity Severity(string? value) => WireCode.Parse<FlagSeverity>(value) ?? FlagSeverity.Queue;

    private static List<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The ranges Moderation accepts (for messages in the visitor's language).</summary>
    public static readonly IReadOnlyDictionary<string, (int Min, int Max)> Ranges = new Dictionary<string, (int, int)>
    {
        ["links.maxLinks"] = (0, 100), ["repeatedText.maxRepeatsByAnyone"] = (1, 10_000), ["repeatedText.maxRepeatsByAuthor"] = (1, 10_000),
        ["repeatedText.windowMinutes"] = (1, 10_080), ["repeatedText.minLength"] = (0, 1000), ["postingRate.maxComments"] = (1, 10_000),
        ["postingRate.windowMinutes"] = (1, 1440),
    };

    public static readonly IReadOnlyDictionary<string, string> ApiFields = new Dictionary<string, string>
    {
        ["words.german"] = "Form.WordsGerman", ["words.english"] = "Form.WordsEnglish", ["links.maxLinks"] = "Form.MaxLinks",
        ["repeatedText.maxRepeatsByAnyone"] = "Form.MaxRepeatsByAnyone", ["repeatedText.maxRepeatsByAuthor"] = "Form.MaxRepeatsByAuthor",
        ["repeatedText.windowMinutes"] = "Form.RepeatedWindowMinutes", ["repeatedText.minLength"] = "Form.MinLength",
        ["postingRate.maxComments"] = "Form.MaxComments", ["postingRate.windowMinutes"] = "Form.RateWindowMinutes",
    };
}
