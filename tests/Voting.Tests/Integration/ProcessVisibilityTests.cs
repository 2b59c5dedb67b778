using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>
/// Ballots of an internal or members-only process (Proposals' ProcessVisibilityChanged): 404 for everyone who may not see
/// the process, in lists, details, results and the vote; members and staff as before; an older event never undoes a newer one.
/// </summary>
[Collection(VotingCollection.Name)]
public sealed class ProcessVisibilityTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    [Fact]
    public async Task MembersOnlyProcess_NonMembersGet404Everywhere_MembersAndStaffVoteAndSee()
    {
        var processId = Guid.NewGuid();
        var staff = _factory.Staff();
        var created = await (await staff.PostJson("/ballots", new
        {
            processId, title = "Werkstattgruppe", method = "support", options = Api.TextOptions("X", "Y"), visibility = "live",
            opensAt = DateTimeOffset.UtcNow.AddMinutes(-1), closesAt = DateTimeOffset.UtcNow.AddDays(3),
        })).Json200(HttpStatusCode.Created);
        var ballot = created.GetProperty("id").GetGuid();
        var option = created.GetProperty("options")[0].GetProperty("optionId").GetGuid();
        await (await staff.PostAsync($"/ballots/{ballot}/open", null)).Json200();
        var memberId = Guid.NewGuid();
        var member = _factory.ClientFor(memberId, ["citizen"]);

        var bus = _factory.Services.GetRequiredService<IBus>();
        var changedAt = DateTimeOffset.UtcNow;
        await bus.Publish(new ProcessVisibilityChanged(processId, ProcessVisibilities.Members, [memberId], changedAt));
        await Eventually.AssertAsync(async () =>
            (await _factory.Anonymous().GetAsync($"/ballots/{ballot}")).StatusCode.Should().Be(HttpStatusCode.NotFound),
            ProcessGate.MaxAge + TimeSpan.FromSeconds(10));

        foreach (var outsider in new[] { _factory.Anonymous(), _factory.Citizen(out _), _factory.Moderator() })
        {
            foreach (var path in new[] { $"/ballots/{ballot}", $"/ballots/{ballot}/results", $"/ballots/{ballot}/results/versions" })
            {
                (await outsider.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
            }
            (await (await outsider.GetAsync($"/ballots?processId={processId}")).Json200()).GetArrayLength().Should().Be(0);
        }
        await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { option } }, expected: HttpStatusCode.NotFound);

        await member.VoteAsync(ballot, new { selected = new[] { option } });
        (await (await member.GetAsync($"/ballots?processId={processId}")).Json200()).GetArrayLength().Should().Be(1);
        (await staff.GetAsync($"/ballots/{ballot}/results")).StatusCode.Should().Be(HttpStatusCode.OK);

        // A late, older event (public) does not undo the newer one.
        await bus.Publish(new ProcessVisibilityChanged(processId, ProcessVisibilities.Public, [], changedAt.AddMinutes(-1)));
        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<long>("SELECT count(*) FROM processed_messages WHERE consumer = 'ProcessVisibilityChangedConsumer'"))
                .Should().BeGreaterThanOrEqualTo(2));
        await Task.Delay(ProcessGate.MaxAge);
        (await _factory.Anonymous().GetAsync($"/ballots/{ballot}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.QueryAsync<string>("SELECT visibility FROM process_visibility WHERE process_id = @processId", new { processId }))
            .Should().Be("members");
    }
}
