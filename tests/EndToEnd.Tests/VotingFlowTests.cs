using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>Voting runs as two instances behind the gateway; what one instance changed, the other must not deny.</summary>
public sealed class VotingFlowTests
{
    [Fact]
    public async Task BallotOpenedOnOneInstance_IsReadableAndVotableThroughBoth_Immediately()
    {
        using var staff = await Arrange.AdminAsync();
        var (processId, itemId) = await Arrange.OpenProcessWithMeasureAsync(staff);
        var now = DateTimeOffset.UtcNow;

        for (var round = 0; round < 4; round++)
        {
            var created = await StackClient.Json(await staff.PostAsJsonAsync("/api/voting/ballots", new
            {
                processId, title = $"Sofort sichtbar {round}", method = "support", visibility = "live",
                eligibility = new { kind = "verified" },
                options = new[] { new { itemId, title = "Radweg an der Lippe" } },
                opensAt = now.AddMinutes(-1), closesAt = now.AddDays(1),
            }), HttpStatusCode.Created);
            var ballotId = created.GetProperty("id").GetGuid();
            (await staff.PostAsync($"/api/voting/ballots/{ballotId}/open", null)).StatusCode.Should().Be(HttpStatusCode.OK);

            // Round robin over both instances: every read right after the change must see it.
            using var anonymous = StackClient.Client();
            for (var i = 0; i < 4; i++)
            {
                (await anonymous.GetAsync($"/api/voting/ballots/{ballotId}")).StatusCode.Should().Be(HttpStatusCode.OK,
                    "round {0}, read {1}: an opened ballot is public on every instance at once", round, i);
            }
        }
    }
}
