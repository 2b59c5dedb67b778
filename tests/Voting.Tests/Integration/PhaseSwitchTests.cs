using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Pipeline;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>Ballots in a phase follow its "Abstimmen" switch and its end as Proposals publishes them, besides their own times.</summary>
[Collection(VotingCollection.Name)]
public sealed class PhaseSwitchTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    private static readonly PhaseSwitches VotingOn = new(true, true, false, true, false);
    private static readonly PhaseSwitches VotingOff = VotingOn with { Voting = false };

    private async Task<(Guid Process, Guid Phase, Guid Ballot, Guid Option, IBus Bus)> RunningPhaseBallotAsync()
    {
        var (processId, phaseId) = (Guid.NewGuid(), Guid.NewGuid());
        var bus = _factory.Services.GetRequiredService<IBus>();
        await bus.Publish(new PhaseStarted(processId, phaseId, "Online-Beteiligung", "online-participation", VotingOn,
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(10)));
        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<long>("SELECT count(*) FROM phases WHERE phase_id = @phaseId", new { phaseId })).Should().Be(1));
        var staff = _factory.Staff();
        var created = await (await staff.PostJson("/ballots", new
        {
            processId, phaseId, title = "In der Phase", method = "support", options = Api.TextOptions("X", "Y"), visibility = "live",
            opensAt = DateTimeOffset.UtcNow.AddMinutes(-1), closesAt = DateTimeOffset.UtcNow.AddDays(3),
        })).Json200(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await (await staff.PostAsync($"/ballots/{id}/open", null)).Json200();
        return (processId, phaseId, id, created.GetProperty("options")[0].GetProperty("optionId").GetGuid(), bus);
    }

    [Fact]
    public async Task CastVote_PhaseVotingSwitchedOffThenOn_409WithGermanReasonThen202()
    {
        var (process, phase, ballot, option, bus) = await RunningPhaseBallotAsync();
        await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { option } });

        await bus.Publish(new PhaseSwitchesChanged(process, phase, VotingOff, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
        {
            var refused = await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { option } }, expected: HttpStatusCode.Conflict);
            refused.GetProperty("code").GetString().Should().Be("voting-off");
            refused.GetProperty("detail").GetString().Should().Contain("ausgeschaltet");
        }, TimeSpan.FromSeconds(10));

        await bus.Publish(new PhaseSwitchesChanged(process, phase, VotingOn, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
            await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { option } }), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CastVote_PhaseEndedWhileBallotRunsOnItsOwnTimes_409PhaseEnded()
    {
        var (process, phase, ballot, option, bus) = await RunningPhaseBallotAsync();
        await bus.Publish(new PhaseEnded(process, phase, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
        {
            var refused = await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { option } }, expected: HttpStatusCode.Conflict);
            refused.GetProperty("code").GetString().Should().Be("phase-ended");
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Consumer_VoteFromStaleCopyCastAfterSwitchIsKnown_RejectedNotCounted()
    {
        var (process, phase, ballot, option, bus) = await RunningPhaseBallotAsync();
        await bus.Publish(new PhaseSwitchesChanged(process, phase, VotingOff, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<bool>("SELECT voting FROM phases WHERE phase_id = @phase", new { phase })).Should().BeFalse());

        // What an instance whose copy missed the switch would have sent: accepted at the API, published to the queue.
        var choices = Choices.FromSelection([option]).Choices!.ToCanonical();
        var vote = new VoteMessage(Guid.NewGuid(), ballot, Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()),
            VoteSequence.Next(TimeProvider.System), choices, null);
        await _factory.Services.GetRequiredService<VotePublisher>().PublishVoteAsync(vote.ToBytes(), vote.VoteId, CancellationToken.None);

        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<string>("SELECT rejected_reason FROM vote_log WHERE vote_id = @id", new { id = vote.VoteId }))
            .Should().Be("voting-off"), TimeSpan.FromSeconds(30));
        (await _factory.QueryAsync<long>("SELECT count(*) FROM current_votes WHERE ballot_id = @ballot", new { ballot })).Should().Be(0);
        var receipt = await (await _factory.Anonymous().GetAsync($"/ballots/{ballot}/receipts/{vote.ReceiptHash}")).Json200();
        receipt.GetProperty("status").GetString().Should().Be("rejected");
    }
}
