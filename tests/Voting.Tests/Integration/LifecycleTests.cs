using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Tests.Integration;

[Collection(VotingCollection.Name)]
public sealed class LifecycleTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    [Fact]
    public async Task Ballot_OwnTimesInFuture_IsScheduledAndRefusesVotes()
    {
        var staff = _factory.Staff();
        var ballot = new
        {
            processId = Guid.NewGuid(), title = "Später", method = "support", options = Api.TextOptions("X"),
            opensAt = DateTimeOffset.UtcNow.AddDays(1), closesAt = DateTimeOffset.UtcNow.AddDays(2),
        };
        var id = (await (await staff.PostJson("/ballots", ballot)).Json200(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var opened = await (await staff.PostAsync($"/ballots/{id}/open", null)).Json200();
        opened.GetProperty("state").GetString().Should().Be("scheduled");
        var option = opened.GetProperty("options")[0].GetProperty("optionId").GetGuid();
        var refused = await _factory.Citizen(out _).VoteAsync(id, new { selected = new[] { option } }, expected: HttpStatusCode.Conflict);
        refused.GetProperty("code").GetString().Should().Be("not-open-yet");
        refused.GetProperty("detail").GetString().Should().StartWith("Die Abstimmung beginnt erst am");
    }

    [Fact]
    public async Task Ballot_FollowingItsPhase_OpensWithPhaseStartedAndClosesWithPhaseEnded()
    {
        var (processId, phaseId) = (Guid.NewGuid(), Guid.NewGuid());
        var staff = _factory.Staff();
        var created = await (await staff.PostJson("/ballots", new
        {
            processId, phaseId, followsPhase = true, title = "Mit der Phase", method = "approval", options = Api.TextOptions("X", "Y"),
            visibility = "live",
        })).Json200(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var option = created.GetProperty("options")[0].GetProperty("optionId").GetGuid();
        (await (await staff.PostAsync($"/ballots/{id}/open", null)).Json200()).GetProperty("state").GetString().Should().Be("scheduled");

        var bus = _factory.Services.GetRequiredService<IBus>();
        var switches = new PhaseSwitches(false, true, false, true, true);
        await bus.Publish(new PhaseStarted(processId, phaseId, "Online-Beteiligung", "online-participation", switches,
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(10)));
        await Eventually.AssertAsync(async () =>
            (await (await _factory.Anonymous().GetAsync($"/ballots/{id}")).Json200()).GetProperty("state").GetString().Should().Be("open"));
        await _factory.Citizen(out _).VoteAsync(id, new { selected = new[] { option } });
        await _factory.WaitConsumedAsync(id, 1);

        await bus.Publish(new PhaseEnded(processId, phaseId, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
        {
            var ballot = await (await _factory.Anonymous().GetAsync($"/ballots/{id}")).Json200();
            ballot.GetProperty("state").GetString().Should().Be("closed");
            ballot.GetProperty("finalVotes").GetInt64().Should().Be(1);
        }, TimeSpan.FromSeconds(30));
    }
}

/// <summary>Demo:Seed creates the two ballots of DEMO_IDS.md on an empty database.</summary>
public sealed class DemoSeedTests : IAsyncLifetime
{
    private readonly ServiceFactory<VotingDb> _factory = VotingFixture.Configure(new ServiceFactory<VotingDb>("votingdemo")).With("Demo:Seed", "true");

    public Task InitializeAsync() => ((IAsyncLifetime)_factory).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task DemoSeed_CreatesLuenenApprovalAndLeverkusenRanking()
    {
        var anonymous = _factory.Anonymous();
        var luenen = await (await anonymous.GetAsync("/ballots/55555555-0000-0000-0000-000000000001")).Json200();
        luenen.GetProperty("method").GetString().Should().Be("approval");
        luenen.GetProperty("maxSelections").GetInt32().Should().Be(15);
        luenen.GetProperty("visibility").GetString().Should().Be("after-close");
        luenen.GetProperty("state").GetString().Should().Be("open");
        luenen.GetProperty("options").GetArrayLength().Should().Be(20);
        luenen.GetProperty("options")[0].GetProperty("itemId").GetGuid().Should().Be(Guid.Parse("44444444-0000-0000-0000-000000050001"));
        luenen.GetProperty("options")[19].GetProperty("itemId").GetGuid().Should().Be(Guid.Parse("44444444-0000-0000-0000-000000050020"));
        (await anonymous.GetAsync("/ballots/55555555-0000-0000-0000-000000000001/results")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var leverkusen = await (await anonymous.GetAsync("/ballots/55555555-0000-0000-0000-000000000002")).Json200();
        leverkusen.GetProperty("method").GetString().Should().Be("ranking");
        leverkusen.GetProperty("visibility").GetString().Should().Be("live");
        (await anonymous.GetAsync("/ballots/55555555-0000-0000-0000-000000000002/results")).StatusCode.Should().Be(HttpStatusCode.OK);

        var citizen = _factory.Citizen(out _, verification: "resident", district: "mitte");
        var items = luenen.GetProperty("options").EnumerateArray().Take(15).Select(o => o.GetProperty("optionId").GetGuid()).ToArray();
        await citizen.VoteAsync(Guid.Parse("55555555-0000-0000-0000-000000000001"), new { selected = items });
    }
}
