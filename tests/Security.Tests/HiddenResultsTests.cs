using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// PRODUCT.md "results hidden until close in every channel" (decidim#12348 leaked counts through open data): for a
/// ballot whose results are hidden until close, no channel shows a number before close — results, the live stream,
/// exports, ballot lists and details, receipts, my vote, recounts, the items' support counts — for anyone, staff
/// included (Voting's ResultAccess: "hidden for everyone, staff included"). After close, they all appear.
/// </summary>
public sealed class HiddenResultsTests
{
    private static readonly Who[] Observers = [Who.Anonymous, Who.Citizen, Who.Moderator, Who.Staff, Who.Admin];

    [Fact]
    public async Task HiddenBallot_BeforeClose_NoChannelShowsCounts_AfterClose_AllDo()
    {
        var world = await World.GetAsync();
        using var staff = world.ClientFor(Who.Staff);
        var items = new List<Guid>();
        foreach (var title in new[] { "Geheime Option A", "Geheime Option B" })
        {
            items.Add((await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/proposals/processes/{world.ProcessId}/items",
                new { title, description = "Option einer verdeckten Abstimmung.", kind = "measure" }), HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }
        // Voting learns the items from Proposals' events before a ballot can point at them.
        var ballotId = await Eventually.ValueAsync(async () =>
        {
            try
            {
                return await World.NewBallotAsync(staff, world, items, new { kind = "verified" }, "after-close");
            }
            catch (InvalidOperationException)
            {
                return Guid.Empty;
            }
        }, id => id != Guid.Empty, TimeSpan.FromSeconds(30));
        ballotId.Should().NotBeEmpty();
        var options = (await StackClient.Json(await StackClient.GetAsync(staff, $"/api/voting/ballots/{ballotId}"), HttpStatusCode.OK))
            .GetProperty("options").EnumerateArray().Select(o => o.GetProperty("optionId").GetGuid()).ToArray();

        // Two votes, both counted (not only pending), so a leak would show a non-zero number.
        var voters = new[] { world.FuzzPool[^1].Token, world.FuzzPool[^2].Token };
        var receipts = new List<string>();
        foreach (var token in voters)
        {
            using var voter = StackClient.Client(token);
            receipts.Add((await StackClient.Json(await StackClient.PostJsonAsync(voter, $"/api/voting/ballots/{ballotId}/votes",
                new { selected = new[] { options[0] } }), HttpStatusCode.Accepted)).GetProperty("receiptHash").GetString()!);
        }
        foreach (var token in voters)
        {
            using var voter = StackClient.Client(token);
            await Eventually.AssertAsync(async () =>
                (await StackClient.Json(await StackClient.GetAsync(voter, $"/api/voting/ballots/{ballotId}/votes/me"), HttpStatusCode.OK))
                    .GetProperty("status").GetString().Should().Be("counted"), TimeSpan.FromSeconds(30));
        }

        var leaks = new List<string>();
        var observers = Observers.Select(w => (Label: w.ToString(), Token: world.Tokens[w])).Append(("a voter", voters[0]));
        foreach (var (label, token) in observers)
        {
            using var client = StackClient.Client(token);
            await ExpectDeniedAsync(client, $"/api/voting/ballots/{ballotId}/results", label, leaks);
            await ExpectDeniedAsync(client, $"/api/voting/ballots/{ballotId}/results/stream", label, leaks);
            await ExpectDeniedAsync(client, $"/api/voting/ballots/{ballotId}/results/versions", label, leaks);
            await ExpectDeniedAsync(client, $"/api/voting/ballots/{ballotId}/results/versions/1", label, leaks);
            Scan(await GetJsonAsync(client, $"/api/voting/ballots/{ballotId}"), $"{label}: ballot details", leaks);
            var list = await GetJsonAsync(client, $"/api/voting/ballots?processId={world.ProcessId}");
            Scan(list.EnumerateArray().Single(b => b.GetProperty("id").GetGuid() == ballotId), $"{label}: ballot list", leaks);
            foreach (var receipt in receipts)
            {
                Scan(await GetJsonAsync(client, $"/api/voting/ballots/{ballotId}/receipts/{receipt}"), $"{label}: receipt", leaks);
            }
            foreach (var item in items)
            {
                Scan(await GetJsonAsync(client, $"/api/proposals/items/{item}"), $"{label}: item", leaks);
            }
            Scan(await GetJsonAsync(client, $"/api/proposals/processes/{world.ProcessId}/items?PageSize=100"), $"{label}: item list", leaks,
                onlyItems: items);
        }
        using (var voter = StackClient.Client(voters[0]))
        {
            Scan(await GetJsonAsync(voter, $"/api/voting/ballots/{ballotId}/votes/me"), "a voter: my vote", leaks);
        }
        foreach (var who in new[] { Who.Staff, Who.Admin })
        {
            using var client = world.ClientFor(who);
            foreach (var kind in new[] { "tally", "votes" })
            {
                foreach (var format in new[] { "", "?format=csv", "?format=csv-de", "?format=json" })
                {
                    await ExpectDeniedAsync(client, $"/api/voting/ballots/{ballotId}/exports/{kind}{format}", $"{who}: export {kind}{format}", leaks);
                }
            }
            Scan(await GetJsonAsync(client, $"/api/voting/ballots/{ballotId}/recounts"), $"{who}: recounts", leaks);
            Scan(await GetJsonAsync(client, $"/api/voting/ballots/{ballotId}/in-person-results"), $"{who}: in-person results", leaks);
        }
        using (var admin = world.ClientFor(Who.Admin))
        {
            using var recount = await StackClient.PostJsonAsync(admin, $"/api/voting/ballots/{ballotId}/recount", null);
            if (recount.IsSuccessStatusCode)
            {
                Scan(JsonDocument.Parse(await recount.Content.ReadAsStringAsync()).RootElement.Clone(), "Admin: recount run", leaks);
            }
            else
            {
                ((int)recount.StatusCode).Should().BeInRange(400, 499);
            }
        }

        leaks.Should().BeEmpty("results hidden until close must not show up in any channel, for anyone");

        // Close: now every channel shows the two votes.
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/voting/ballots/{ballotId}/close", null), HttpStatusCode.OK, HttpStatusCode.Accepted);
        foreach (var who in Observers)
        {
            using var client = world.ClientFor(who);
            await Eventually.AssertAsync(async () =>
            {
                var results = await GetJsonAsync(client, $"/api/voting/ballots/{ballotId}/results");
                results.GetProperty("voters").GetInt64().Should().Be(2);
            }, TimeSpan.FromSeconds(30));
            // Each Voting instance learns of the close through Redis (BallotCache): the instance that answers the stream
            // may hear of it a moment after the one that answered the results above.
            HttpResponseMessage? opened = null;
            await Eventually.AssertAsync(async () =>
            {
                opened?.Dispose();
                opened = await StackClient.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, $"/api/voting/ballots/{ballotId}/results/stream"),
                    HttpCompletionOption.ResponseHeadersRead);
                opened.StatusCode.Should().Be(HttpStatusCode.OK);
            }, TimeSpan.FromSeconds(10));
            using var stream = opened!;
            stream.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
            using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
            string? line;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("data:", StringComparison.Ordinal))
            {
            }
            JsonDocument.Parse(line!["data:".Length..]).RootElement.GetProperty("voters").GetInt64().Should().Be(2);
            var details = await GetJsonAsync(client, $"/api/voting/ballots/{ballotId}");
            details.GetProperty("finalVotes").GetInt64().Should().Be(2);
        }
        using (var admin = world.ClientFor(Who.Admin))
        {
            using var export = await StackClient.GetAsync(admin, $"/api/voting/ballots/{ballotId}/exports/tally");
            export.StatusCode.Should().Be(HttpStatusCode.OK, "after close the tally is exported for council documents");
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path) =>
        await StackClient.Json(await StackClient.GetAsync(client, path), HttpStatusCode.OK);

    private static async Task ExpectDeniedAsync(HttpClient client, string path, string who, List<string> leaks)
    {
        using var response = await StackClient.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;
        var type = response.Content.Headers.ContentType?.MediaType;
        if (status is not (403 or 409) || type != "application/problem+json")
        {
            leaks.Add($"{who}: GET {path} answered {status} {type}");
        }
    }

    private static readonly string[] CountWords = ["count", "votes", "voters", "tally", "participants", "supports", "total", "online", "inperson", "score", "digest", "rank"];

    /// <summary>Any member named like a number of votes that holds something other than null/0/empty is a leak.</summary>
    private static void Scan(JsonElement element, string where, List<string> leaks, IReadOnlyCollection<Guid>? onlyItems = null, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (onlyItems is not null && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && Guid.TryParse(id.GetString(), out var itemId) && !onlyItems.Contains(itemId))
                {
                    return;
                }
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name.ToLowerInvariant();
                    var value = property.Value;
                    // "total" of a page of items is the number of items, "commentCount" the number of comments: not votes.
                    var looksLikeCount = CountWords.Any(w => name.Contains(w, StringComparison.Ordinal)) && name != "commentcount"
                        && !(onlyItems is not null && path == "$" && name == "total");
                    var holdsSomething = value.ValueKind switch
                    {
                        JsonValueKind.Number => value.GetDecimal() != 0,
                        JsonValueKind.String => name.Contains("digest", StringComparison.Ordinal),
                        JsonValueKind.Array => value.GetArrayLength() > 0 && name != "results",
                        JsonValueKind.True => false,
                        _ => false,
                    };
                    if (looksLikeCount && holdsSomething)
                    {
                        leaks.Add($"{where}: {path}.{property.Name} = {value.GetRawText()}");
                    }
                    Scan(value, where, leaks, onlyItems, path + "." + property.Name);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var child in element.EnumerateArray())
                {
                    Scan(child, where, leaks, onlyItems, $"{path}[{i++}]");
                }
                break;
        }
    }
}
