using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Processes;

/// <summary>A process: phases timeline, fields of action, ballots, and its goals and measures with filters and search.</summary>
public sealed class DetailsModel(ProposalsApi proposals, VotingApi voting, IdentityApi identity, ILogger<DetailsModel> logger) : WebPage
{
    public ProcessResponse Process { get; private set; } = null!;
    public ItemPage Items { get; private set; } = new([], 1, 20, 0);
    public IReadOnlyList<BallotView> Ballots { get; private set; } = [];
    public bool BallotsUnavailable { get; private set; }
    public IReadOnlyList<Mitreden.Voting.Contracts.Http.SurveyView> Surveys { get; private set; } = [];
    public bool SurveysUnavailable { get; private set; }
    public NewsPage? News { get; private set; }
    public IReadOnlyList<ProcessDocument> Documents { get; private set; } = [];
    public IReadOnlyList<ProcessEvent> UpcomingEvents { get; private set; } = [];
    public IReadOnlyList<ProcessEvent> PastEvents { get; private set; } = [];
    /// <summary>Whether the signed-in person follows the process; null when not signed in with an account (or Identity is down).</summary>
    public bool? Following { get; private set; }
    /// <summary>The process map (items and events with a location), or null when Proposals did not answer it.</summary>
    public ProcessMap? Map { get; private set; }
    public IReadOnlyList<DistrictResponse> Districts { get; private set; } = [];

    /// <summary>The district the map and its list show (a slug of the process's city), or all.</summary>
    [BindProperty(SupportsGet = true, Name = "bezirk")] public string? MapDistrict { get; set; }

    /// <summary>How many upcoming and past events the process page shows; all are on the events page.</summary>
    public const int EventsOnProcessPage = 3;

    /// <summary>How many posts the process page shows; the rest are on the news page.</summary>
    public const int NewsOnProcessPage = 3;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? FieldOfAction { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Theme { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Origin { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "seite")] public int PageNumber { get; set; } = 1;

    public bool Filtered => !string.IsNullOrWhiteSpace(Q) || Kind is not null || FieldOfAction is not null || Theme is not null
        || Status is not null || Origin is not null;

    /// <summary>Follow or stop following: mails about the process's ballots, phases, results and news (settings in the account).</summary>
    public async Task<IActionResult> OnPostFollowAsync(Guid id, bool follow, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        var result = await identity.FollowAsync(id, follow, ct);
        if (!result.Ok)
        {
            return StatusCode(result.Status == 404 ? 404 : 400);
        }
        return Redirect($"/prozesse/{id}?gefolgt={(follow ? "ja" : "nein")}#folgen");
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        Kind = ProposalsApi.ItemKinds.Contains(Kind) ? Kind : null;
        Sort = ProposalsApi.ItemSorts.Contains(Sort) ? Sort : null;
        Origin = Origin is "official" or "citizen" ? Origin : null;
        Status = Process.ItemStatuses.Any(s => s.Key == Status) ? Status : null;
        PageNumber = Math.Max(1, PageNumber);
        var items = await proposals.ItemsAsync(id, new ItemQuery(FieldOfAction, Theme, null, Kind, Status, Origin,
            string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), Sort, PageNumber, 20), ct);
        if (items.Ok)
        {
            Items = items.Value!;
        }
        else
        {
            ModelState.AddModelError(nameof(Q), ProblemMessage(items.Problem!));
        }
        var districts = await proposals.DistrictsAsync(Process.City, ct);
        Districts = districts.Value ?? [];
        MapDistrict = Districts.Any(d => d.Slug == MapDistrict) ? MapDistrict : null;
        var map = await proposals.MapAsync(id, MapDistrict, ct);
        Map = map.Ok ? map.Value : null;
        var news = await proposals.NewsAsync(id, 1, NewsOnProcessPage, ct);
        News = news.Ok ? news.Value : null;
        var documents = await proposals.DocumentsAsync(id, ct);
        Documents = documents.Ok ? documents.Value! : [];
        var upcoming = await proposals.EventsAsync(id, "upcoming", ct);
        UpcomingEvents = (upcoming.Value ?? []).Take(EventsOnProcessPage).ToList();
        var past = await proposals.EventsAsync(id, "past", ct);
        PastEvents = (past.Value ?? []).Take(EventsOnProcessPage).ToList();
        if (SignedIn)
        {
            try
            {
                var follow = await identity.FollowStateAsync(id, ct);
                Following = follow.Ok ? follow.Value!.Following : null;
            }
            catch (BackendUnavailableException ex)
            {
                logger.LogWarning(ex, "Follow state of process {ProcessId} unavailable", id);
            }
        }
        try
        {
            var ballots = await voting.BallotsAsync(id, ct);
            Ballots = (ballots.Value ?? []).Where(b => b.ProcessId == id).ToList();
            BallotsUnavailable = !ballots.Ok;
        }
        catch (BackendUnavailableException ex)
        {
            // The process page stays readable when Voting is down; only the ballot list is missing.
            logger.LogWarning(ex, "Ballots of process {ProcessId} unavailable", id);
            BallotsUnavailable = true;
        }
        try
        {
            var surveys = await voting.SurveysAsync(id, ct);
            Surveys = (surveys.Value ?? []).Where(s => s.ProcessId == id).ToList();
            SurveysUnavailable = !surveys.Ok;
        }
        catch (BackendUnavailableException ex)
        {
            logger.LogWarning(ex, "Surveys of process {ProcessId} unavailable", id);
            SurveysUnavailable = true;
        }
        return Page();
    }

    /// <summary>The map's places with the web's own links and words.</summary>
    public MapView? MapView(IStringLocalizer text) => Map is not { } map ? null : new MapView("process-map", text["Map_ProcessLabel", Process.Title],
        map.Area, map.Markers.Select(m => new MapPlace(m.Title,
            m.Kind == MapMarkerKinds.Event ? $"/prozesse/{Process.Id}/veranstaltungen/{m.Id}" : $"/inhalte/{m.Id}",
            m.Kind == MapMarkerKinds.Event ? text["Map_KindEvent"] : Display.Label(text, "ItemKind", m.Kind),
            Districts.FirstOrDefault(d => d.Slug == m.District)?.Name ?? m.District, m.Latitude, m.Longitude)).ToList());

    public string TopicTitle(Guid id) =>
        Process.FieldsOfAction.Concat(Process.Themes).FirstOrDefault(t => t.Id == id)?.Title ?? "";

    public string PageUrl(int page)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Q, ["kind"] = Kind, ["fieldOfAction"] = FieldOfAction?.ToString(), ["theme"] = Theme?.ToString(),
            ["status"] = Status, ["origin"] = Origin, ["sort"] = Sort, ["seite"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/prozesse/{Process.Id}",
            query.Where(q => !string.IsNullOrEmpty(q.Value))) + "#inhalte";
    }
}
