using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.Json;
using Mitreden.TestKit;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Tests.Integration;

[Collection(VotingCollection.Name)]
public sealed class VoteFlowTests(VotingFixture fixture)
{
    private readonly Mitreden.TestKit.ServiceFactory<Mitreden.Voting.Api.Data.VotingDb> _factory = fixture.Factory;

    [Fact]
    public async Task CastChangeReadBackCloseRecountExport_CountsNewestVoteOnce()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.TextOptions("Radweg", "Park", "Bücherei"), max: 2));
        var alice = _factory.Citizen(out var aliceId, district: "mitte");
        var bob = _factory.Citizen(out _, district: "nord");
        var carol = _factory.Citizen(out _);

        var first = await alice.VoteAsync(ballot, new { selected = new[] { o[0], o[1] } });
        first.GetProperty("status").GetString().Should().Be("pending");
        await _factory.WaitConsumedAsync(ballot, 1);
        var changed = await alice.VoteAsync(ballot, new { selected = new[] { o[2] } });
        await bob.VoteAsync(ballot, new { selected = new[] { o[0], o[2] } });
        await carol.VoteAsync(ballot, new { selected = new[] { o[0] } });
        await _factory.WaitConsumedAsync(ballot, 4);

        var mine = await (await alice.GetAsync($"/ballots/{ballot}/votes/me")).Json200();
        mine.GetProperty("status").GetString().Should().Be("counted");
        mine.GetProperty("choices").GetProperty("selected").EnumerateArray().Select(e => e.GetGuid()).Should().Equal(o[2]);
        mine.GetProperty("receipt").GetProperty("receiptHash").GetString().Should().Be(changed.GetProperty("receiptHash").GetString());

        var anonymous = _factory.Anonymous();
        var oldReceipt = await (await anonymous.GetAsync($"/ballots/{ballot}/receipts/{first.GetProperty("receiptHash").GetString()}")).Json200();
        oldReceipt.GetProperty("status").GetString().Should().Be("superseded");
        var newReceipt = await (await anonymous.GetAsync($"/ballots/{ballot}/receipts/{changed.GetProperty("receiptHash").GetString()}")).Json200();
        newReceipt.GetProperty("status").GetString().Should().Be("counted");
        newReceipt.TryGetProperty("choices", out _).Should().BeFalse("a receipt never reveals choices");

        var results = await (await anonymous.GetAsync($"/ballots/{ballot}/results")).Json200();
        results.GetProperty("voters").GetInt64().Should().Be(3);
        Score(results, o[0]).Should().Be(2);
        Score(results, o[1]).Should().Be(0, "alice's first vote was replaced");
        Score(results, o[2]).Should().Be(2);

        var staff = _factory.Staff();
        var recount = await (await staff.PostAsync($"/ballots/{ballot}/recount", null)).Json200();
        recount.GetProperty("matches").GetBoolean().Should().BeTrue();
        recount.GetProperty("votes").GetInt64().Should().Be(3);

        var closed = await (await staff.PostAsync($"/ballots/{ballot}/close", null)).Json200();
        closed.GetProperty("state").GetString().Should().Be("closed");
        closed.GetProperty("finalVotes").GetInt64().Should().Be(3);
        closed.GetProperty("finalDigest").GetString().Should().MatchRegex("^[0-9a-f]{64}$");
        (await (await staff.GetAsync($"/ballots/{ballot}/recounts")).Json200()).EnumerateArray()
            .Select(r => r.GetProperty("kind").GetString()).Should().Contain(["final", "manual"]);

        // after close: no more votes, no reopening, no extension
        (await carol.VoteAsync(ballot, new { selected = new[] { o[1] } }, expected: HttpStatusCode.Conflict))
            .GetProperty("code").GetString().Should().Be("closed");
        (await staff.PostAsync($"/ballots/{ballot}/open", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await staff.PostJson($"/ballots/{ballot}/extend", new { closesAt = DateTimeOffset.UtcNow.AddDays(1) })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var csv = await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/tally?format=csv-de");
        csv.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = Encoding.UTF8.GetString(csv.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Option-ID;Eintrag-ID;Titel;Stadtteil;Online;Online-Stimmen;Vor Ort;Gesamt;Platz");
        lines.Should().Contain($"{o[0]};;Radweg;alle;2;2;0;2;1");
        lines.Should().Contain($"{o[2]};;Bücherei;alle;2;2;0;2;1");
        lines.Should().Contain($"{o[1]};;Park;alle;0;0;0;0;3");
        lines.Should().Contain($"{o[2]};;Bücherei;mitte;1;1;;1;", "alice (Mitte) chose the library in the end");
        lines.Should().Contain($"{o[0]};;Radweg;nord;1;1;;1;");

        var plain = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/tally?format=csv"));
        plain.Should().StartWith("option_id,item_id,title,district,online,online_votes,in_person,total,rank\r\n");

        var votes = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/votes?format=csv"));
        var voteLines = votes.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        voteLines.Should().HaveCount(4);
        voteLines.Skip(1).Should().OnlyContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[0-9a-f]{32},"));
        votes.Should().NotContain(aliceId.ToString()).And.NotContain(aliceId.ToString("N"), "exports carry a pseudonym only");

        var xlsx = await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/tally?format=xlsx");
        Encoding.ASCII.GetString(xlsx, 0, 2).Should().Be("PK");
        var json = JsonDocument.Parse(await staff.GetStringAsync($"/ballots/{ballot}/exports/votes?format=json")).RootElement;
        json.GetProperty("votes").GetArrayLength().Should().Be(3);
        json.GetProperty("digest").GetString().Should().Be(closed.GetProperty("finalDigest").GetString());
    }

    [Fact]
    public async Task Ranking_ResultsShowBordaCondorcetAndSchulze_AndStreamPushesChanges()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("ranking", Api.TextOptions("A", "B", "C")));
        using var listener = _factory.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ballots/{ballot}/results/stream");
        using var response = await listener.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        (await NextEventAsync(reader)).GetProperty("voters").GetInt64().Should().Be(0);

        foreach (var order in new[] { new[] { o[1], o[0], o[2] }, [o[1], o[2], o[0]], [o[0], o[1], o[2]] })
        {
            await _factory.Citizen(out _).VoteAsync(ballot, new { ranking = order });
        }
        JsonElement pushed;
        do
        {
            pushed = await NextEventAsync(reader);
        }
        while (pushed.GetProperty("voters").GetInt64() < 3);

        Score(pushed, o[1]).Should().Be(2 + 2 + 1);
        Score(pushed, o[0]).Should().Be(1 + 0 + 2);
        pushed.GetProperty("condorcetWinner").GetGuid().Should().Be(o[1]);
        pushed.GetProperty("schulze")[0].GetProperty("optionId").GetGuid().Should().Be(o[1]);
        var incomplete = await _factory.Citizen(out _).VoteAsync(ballot, new { ranking = new[] { o[0] } }, expected: HttpStatusCode.UnprocessableEntity);
        incomplete.GetProperty("errors").GetProperty("choices")[0].GetString().Should().Contain("alle 3");
        incomplete.GetProperty("errorCodes").GetProperty("choices").GetString().Should().Be(VoteErrorCodes.RankingIncomplete);
    }

    [Fact]
    public async Task Budget_OverBudgetRefused_PabulibExportListsProjectsAndVotes()
    {
        var options = new object[] { new { title = "Spielplatz", cost = 60_000m }, new { title = "Bänke", cost = 40_000m }, new { title = "Brunnen", cost = 30_000m } };
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("budget", options, budget: 100_000m));
        var voter = _factory.Citizen(out _);
        var over = await voter.VoteAsync(ballot, new { selected = new[] { o[0], o[2], o[1] } }, expected: HttpStatusCode.UnprocessableEntity);
        over.GetProperty("errors").GetProperty("choices")[0].GetString().Should().Contain("130000");
        over.GetProperty("errorCodes").GetProperty("choices").GetString().Should().Be(VoteErrorCodes.OverBudget);
        (await voter.VoteAsync(ballot, new { selected = Array.Empty<Guid>() }, expected: HttpStatusCode.UnprocessableEntity))
            .GetProperty("errorCodes").GetProperty("choices").GetString().Should().Be(VoteErrorCodes.TooFew, "an empty budget vote");
        await voter.VoteAsync(ballot, new { selected = new[] { o[0], o[1] } });
        await _factory.WaitConsumedAsync(ballot, 1);
        var pb = await _factory.Staff().GetStringAsync($"/ballots/{ballot}/exports/votes?format=pb");
        pb.Should().StartWith("META\nkey;value\n").And.Contain("budget;100000\n").And.Contain("vote_type;approval\n");
        pb.Should().Contain($"\n{o[0]:N};60000;1;Spielplatz\n").And.Contain($"\n{o[2]:N};30000;0;Brunnen\n");
        pb.Should().MatchRegex($"VOTES\nvoter_id;vote;neighborhood\n[0-9a-f]{{32}};({o[0]:N},{o[1]:N}|{o[1]:N},{o[0]:N});\n");
        (await _factory.Staff().GetAsync($"/ballots/{ballot}/exports/tally?format=pb")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Extend_WhileOpen_MovesEnd_ButNeverIntoThePast()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("X", "Y")));
        var staff = _factory.Staff();
        var later = DateTimeOffset.UtcNow.AddDays(3);
        var extended = await (await staff.PostJson($"/ballots/{ballot}/extend", new { closesAt = later })).Json200();
        extended.GetProperty("closesAt").GetDateTimeOffset().Should().BeCloseTo(later, TimeSpan.FromSeconds(1));
        (await (await staff.PostJson($"/ballots/{ballot}/extend", new { closesAt = DateTimeOffset.UtcNow.AddMinutes(-1) })).Json200(HttpStatusCode.Conflict))
            .GetProperty("code").GetString().Should().Be("end-in-past");
        (await _factory.Citizen(out _).PostJson($"/ballots/{ballot}/extend", new { closesAt = later })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staff.PutAsJsonAsync($"/ballots/{ballot}", Api.Ballot("support", Api.TextOptions("X")), Api.Json)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { o[0] } });
    }

    [Fact]
    public async Task Noop_AnswersNoContent()
    {
        (await _factory.Anonymous().GetAsync("/noop")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    internal static long Score(JsonElement results, Guid option) =>
        results.GetProperty("options").EnumerateArray().Single(x => x.GetProperty("optionId").GetGuid() == option).GetProperty("online").GetInt64();

    internal static async Task<JsonElement> NextEventAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? eventName = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "tally")
            {
                return JsonDocument.Parse(line[6..]).RootElement.Clone();
            }
        }
    }
}
