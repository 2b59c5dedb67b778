using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mitreden.LoadTests.Api;
using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Reporting;

namespace Mitreden.LoadTests.Scenarios;

/// <summary>
/// Scenario 3, a city evening: 60 % reads of processes and items, 25 % comment reads, 5 % comment posts, 10 % votes,
/// interleaved request by request (the mix repeats every 20 requests), all through the gateway.
/// </summary>
public sealed class MixedEveningScenario : IScenario
{
    public string Name => "mixed";

    /// <summary>The mix in slots of 5 %: index = sequence mod 20.</summary>
    public static readonly string[] Slots =
    [
        "process-list", "process-list", "process", "process",
        "item-list", "item-list", "item-list", "item-list", "item-list",
        "item", "item", "item",
        "comment-list", "comment-list", "comment-list", "comment-list", "comment-list",
        "comment-post",
        "vote", "vote",
    ];

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        var o = context.Options;
        var http = context.Http;
        var result = new ScenarioResult(Name, "Mixed city evening (reads, comments, votes)");
        using var api = new MitredenApi(o.BaseUrl, o.AdminEmail, o.AdminPassword);
        var plan = o.PlanFor(Name);

        var processes = await ProcessIdsAsync(http, ct);
        var items = await ItemIdsAsync(http, MitredenApi.LuenenProcess, ct);
        var commentable = new List<Guid>();
        foreach (var item in items.Take(30))
        {
            using var r = await http.GetAsync($"api/comments/items/{item}/commenting", ct);
            if (r.IsSuccessStatusCode && JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("open").GetBoolean())
            {
                commentable.Add(item);
            }
        }
        if (processes.Count == 0 || items.Count == 0)
        {
            throw new InvalidOperationException("no demo processes/items found (start the stack with demo data: ./mitreden up)");
        }
        var ballot = await api.CreateOpenApprovalBallotAsync($"Lasttest Abend {DateTime.Now:yyyy-MM-dd HH:mm:ss}", o.Options, ct);
        await api.WaitUntilOpenEverywhereAsync(ballot.Id, ct);
        var planned = plan.Sum(s => s.PlannedRequests);
        var voters = new Voters(http, ballot.Id, ballot.Options.Select(x => x.OptionId).ToList(),
            await api.CreateTestVotersAsync((int)Math.Min(o.MaxRequests, planned * 0.1 * 1.05 + 200), o.District, context.Progress, ct));
        result.Notes.Add(await Settle.WaitAsync(o.SettleFallbackSeconds, TimeSpan.FromSeconds(300), context.Progress, ct));

        var byKind = new ConcurrentDictionary<string, LatencyHistogram>();
        var errorsByKind = new ConcurrentDictionary<string, long>();
        var commentTexts = Enumerable.Range(1, 16).Select(i => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            text = $"Lasttest-Beitrag {i}: Mehr Grün und sichere Radwege in der Innenstadt wären mir wichtig.",
            stance = i % 3 == 0 ? "pro" : "neutral",
        }))).ToArray();
        var posters = commentable.Count > 0 ? commentable : items;

        Operation op = async (sequence, token) =>
        {
            var kind = Slots[sequence % Slots.Length];
            var pick = (int)((sequence * 2654435761L >>> 7) & int.MaxValue);
            var started = Clock.Now;
            Outcome outcome;
            try
            {
                outcome = kind switch
                {
                    "process-list" => await GetAsync(http, "api/proposals/processes", token),
                    "process" => await GetAsync(http, $"api/proposals/processes/{processes[pick % processes.Count]}", token),
                    "item-list" => await GetAsync(http, $"api/proposals/processes/{processes[pick % processes.Count]}/items", token),
                    "item" => await GetAsync(http, $"api/proposals/items/{items[pick % items.Count]}", token),
                    "comment-list" => await GetAsync(http, $"api/comments/items/{items[pick % items.Count]}/comments", token),
                    "comment-post" => await PostCommentAsync(http, voters, posters[pick % posters.Count], commentTexts[pick % commentTexts.Length], token),
                    _ => await voters.CastAsync(change: false, token),
                };
            }
            finally
            {
                byKind.GetOrAdd(kind, _ => new LatencyHistogram()).Record(Clock.Microseconds(Clock.Now - started));
            }
            if (!outcome.Ok)
            {
                errorsByKind.AddOrUpdate($"{kind} {outcome.Error}", 1, (_, n) => n + 1);
            }
            return outcome;
        };
        foreach (var step in plan)
        {
            result.Steps.Add(await context.Runner.RunAsync(Name, step, op, ct));
        }

        result.Description = $"{processes.Count} processes, {items.Count} items of Lünen ({commentable.Count} open for comments), " +
                             $"ballot `{ballot.Id}`. Mix per 20 requests: " +
                             string.Join(", ", Slots.GroupBy(s => s).Select(g => $"{g.Key} {g.Count() * 5} %")) + ".";
        result.Notes.Add("service time per request kind over all steps (from the actual send; the step table measures from the intended send): " +
                         string.Join("; ", byKind.OrderBy(k => k.Key).Select(k =>
                             $"{k.Key} n={k.Value.Count:#,0} p50 {Ms(k.Value.Percentile(50))} ms p99 {Ms(k.Value.Percentile(99))} ms")));
        if (!errorsByKind.IsEmpty)
        {
            result.Notes.Add("errors by request kind: " + string.Join(", ", errorsByKind.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value}")));
        }
        try
        {
            await api.CloseAsync(ballot.Id, ct);
        }
        catch (InvalidOperationException e)
        {
            result.Notes.Add($"closing the evening's ballot failed: {e.Message}");
        }
        return result;
    }

    private static async Task<Outcome> GetAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
        return Outcome.FromStatus((int)response.StatusCode, 200);
    }

    private static async Task<Outcome> PostCommentAsync(HttpClient http, Voters voters, Guid item, byte[] body, CancellationToken ct)
    {
        var voter = Random.Shared.Next(Math.Max(1, voters.Used));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/comments/items/{item}/comments");
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = JsonType } };
        request.Headers.Authorization = voters.AuthOf(voter);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        return Outcome.FromStatus((int)response.StatusCode, 201);
    }

    private static async Task<List<Guid>> ProcessIdsAsync(HttpClient http, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync("api/proposals/processes", ct));
        var array = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement
            : json.RootElement.TryGetProperty("processes", out var p) ? p : json.RootElement.GetProperty("items");
        return array.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
    }

    private static async Task<List<Guid>> ItemIdsAsync(HttpClient http, Guid process, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync($"api/proposals/processes/{process}/items?pageSize=100", ct));
        return json.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
    }

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);
}
