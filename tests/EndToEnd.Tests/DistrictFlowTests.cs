using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Mitreden.ServiceDefaults.Districts;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>A district slug is one rule: what Proposals accepts, Identity and Voting accept and store; one more character nobody does.</summary>
public sealed class DistrictFlowTests
{
    [Fact]
    public async Task LongestDistrict_CreatedInProposals_CarriedByIdentity_VoteCountedInVoting_OneLongerRefusedEverywhere()
    {
        using var staff = await Arrange.AdminAsync();
        var longest = $"bezirk-{Guid.NewGuid():N}-".PadRight(DistrictSlug.MaxLength, 'x');
        var tooLong = longest + "x";
        longest.Length.Should().Be(DistrictSlug.MaxLength);

        await StackClient.Json(await staff.PostAsJsonAsync("/api/proposals/districts",
            new { city = "Teststadt", slug = longest, name = "Langer Bezirk" }), HttpStatusCode.Created);
        await ExpectRefused(staff.PostAsJsonAsync("/api/proposals/districts", new { city = "Teststadt", slug = tooLong, name = "Zu lang" }));

        // Identity: letter codes (after asking Proposals over the bus) and test voters carry the slug.
        using (var codes = await staff.PostAsJsonAsync("/api/identity/admin/letter-code-batches", new { district = longest, count = 1 }))
        {
            var csv = await codes.Content.ReadAsStringAsync();
            codes.StatusCode.Should().Be(HttpStatusCode.Created, csv);
            csv.Should().Contain(";" + longest);
        }
        await ExpectRefused(staff.PostAsJsonAsync("/api/identity/admin/letter-code-batches", new { district = tooLong, count = 1 }));
        await ExpectRefused(staff.PostAsJsonAsync("/api/identity/admin/test-voters", new { count = 1, district = tooLong }));
        var voter = (await Arrange.TestVoterTokensAsync(staff, 1, longest))[0];

        // Voting: a ballot for the district's residents, and a vote whose district goes into vote_log and current_votes.
        var (processId, itemId) = await Arrange.OpenProcessWithMeasureAsync(staff);
        var now = DateTimeOffset.UtcNow;
        object Ballot(string district) => new
        {
            processId, title = "Nur für den langen Bezirk", method = "support", visibility = "live",
            eligibility = new { kind = "resident", district }, options = new[] { new { itemId, title = "Radweg an der Lippe" } },
            opensAt = now.AddMinutes(-1), closesAt = now.AddDays(1),
        };
        await ExpectRefused(staff.PostAsJsonAsync("/api/voting/ballots", Ballot(tooLong)));
        var created = await StackClient.Json(await staff.PostAsJsonAsync("/api/voting/ballots", Ballot(longest)), HttpStatusCode.Created);
        var ballotId = created.GetProperty("id").GetGuid();
        var optionId = created.GetProperty("options")[0].GetProperty("optionId").GetGuid();
        await StackClient.Json(await staff.PostAsync($"/api/voting/ballots/{ballotId}/open", null), HttpStatusCode.OK);

        using var citizen = StackClient.Client();
        citizen.DefaultRequestHeaders.Authorization = new("Bearer", voter);
        // Voting learns the process's phase from Proposals' events; until then a vote may be refused with 409.
        await Eventually.AssertAsync(async () =>
            (await citizen.PostAsJsonAsync($"/api/voting/ballots/{ballotId}/votes", new { selected = new[] { optionId } }))
                .StatusCode.Should().Be(HttpStatusCode.Accepted), TimeSpan.FromSeconds(15));
        await Eventually.AssertAsync(async () =>
        {
            var mine = await StackClient.Json(await citizen.GetAsync($"/api/voting/ballots/{ballotId}/votes/me"), HttpStatusCode.OK);
            mine.GetProperty("status").GetString().Should().Be("counted", "the vote with the longest district slug was written");
        }, TimeSpan.FromSeconds(20));
    }

    /// <summary>Refused as bad input (400 or 422, as each service answers a field error) with a ProblemDetails, never a 500.</summary>
    private static async Task ExpectRefused(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().BeOneOf([400, 422], body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
