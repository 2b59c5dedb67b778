using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Mitreden.EndToEnd.Tests;

/// <summary>Staff switch "Abstimmen" of the running phase in Proposals; Voting (two instances) follows within seconds.</summary>
public sealed class PhaseSwitchFlowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CastVote_VotingSwitchedOffInProposals_409WithinSecondsOnEveryInstance_OnAgain202()
    {
        using var staff = await Arrange.AdminAsync();
        var (processId, itemId) = await Arrange.OpenProcessWithMeasureAsync(staff);
        var phases = await StackClient.Json(await staff.GetAsync($"/api/proposals/processes/{processId}/phases"), HttpStatusCode.OK);
        var phaseId = phases[0].GetProperty("id").GetGuid();
        var now = DateTimeOffset.UtcNow;
        var created = await StackClient.Json(await staff.PostAsJsonAsync("/api/voting/ballots", new
        {
            processId, phaseId, title = "Abstimmen nach Schalter", method = "support", visibility = "live",
            eligibility = new { kind = "verified" }, options = new[] { new { itemId, title = "Radweg an der Lippe" } },
            opensAt = now.AddMinutes(-1), closesAt = now.AddDays(1),
        }), HttpStatusCode.Created);
        var ballotId = created.GetProperty("id").GetGuid();
        var optionId = created.GetProperty("options")[0].GetProperty("optionId").GetGuid();
        await StackClient.Json(await staff.PostAsync($"/api/voting/ballots/{ballotId}/open", null), HttpStatusCode.OK);
        var vote = new { selected = new[] { optionId } };
        // A fresh voter per request, so the per-account vote limit of the gateway never answers instead of Voting.
        var voters = await Arrange.TestVoterTokensAsync(staff, 200, "mitte");
        var next = 0;
        async Task<HttpResponseMessage> CastAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/voting/ballots/{ballotId}/votes") { Content = JsonContent.Create(vote) };
            request.Headers.Authorization = new("Bearer", voters[next++ % voters.Length]);
            return await staff.SendAsync(request);
        }
        // Voting learns the phase from PhaseStarted (published with the process); with voting on, votes pass.
        await Eventually.AssertAsync(async () =>
            (await CastAsync()).StatusCode.Should().Be(HttpStatusCode.Accepted),
            TimeSpan.FromSeconds(15));

        var clock = Stopwatch.StartNew();
        await StackClient.Json(await staff.PutAsJsonAsync($"/api/proposals/processes/{processId}/phases/{phaseId}/switches",
            new { proposing = true, commenting = true, preModeration = false, voting = false, resultsVisible = true }), HttpStatusCode.OK);
        await Eventually.AssertAsync(async () =>
        {
            // Four in a row: the gateway alternates between the two Voting instances, so both must refuse.
            for (var i = 0; i < 4; i++)
            {
                var response = await CastAsync();
                var body = await response.Content.ReadAsStringAsync();
                response.StatusCode.Should().Be(HttpStatusCode.Conflict, body);
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
                body.Should().Contain("voting-off").And.Contain("ausgeschaltet");
            }
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        output.WriteLine($"switch off → 409 on both instances after {clock.ElapsedMilliseconds} ms");

        clock.Restart();
        await StackClient.Json(await staff.PutAsJsonAsync($"/api/proposals/processes/{processId}/phases/{phaseId}/switches",
            new { proposing = true, commenting = true, preModeration = false, voting = true, resultsVisible = true }), HttpStatusCode.OK);
        await Eventually.AssertAsync(async () =>
            (await CastAsync()).StatusCode.Should().Be(HttpStatusCode.Accepted),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        output.WriteLine($"switch on → 202 after {clock.ElapsedMilliseconds} ms");
    }
}
