using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Features.Ballots;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>
/// Ballots of an internal or members-only phase (Proposals' PhaseVisibilityChanged) of a public process: 404 for everyone
/// who may not see the phase, in lists, details, results, the live stream, eligibility and the vote; the process's
/// members see a members-only phase; staff always; the process's other ballots stay visible; an older event never
/// undoes a newer one.
/// </summary>
[Collection(VotingCollection.Name)]
public sealed class PhaseVisibilityTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    private static readonly PhaseSwitches VotingOn = new(true, true, false, true, true);

    private async Task<(Guid Ballot, Guid Option)> BallotAsync(Guid processId, Guid? phaseId, string title)
    {
        var created = await (await _factory.Staff().PostJson("/ballots", new
        {
            processId, phaseId, title, method = "support", options = Api.TextOptions("X", "Y"), visibility = "live",
            opensAt = DateTimeOffset.UtcNow.AddMinutes(-1), closesAt = DateTimeOffset.UtcNow.AddDays(3),
        })).Json200(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await (await _factory.Staff().PostAsync($"/ballots/{id}/open", null)).Json200();
        return (id, created.GetProperty("options")[0].GetProperty("optionId").GetGuid());
    }

    [Fact]
    public async Task InternalThenMembersOnlyPhase_HidesItsBallotsFromThoseWhoMayNotSeeIt_AndKeepsTheRest()
    {
        var (processId, phaseId) = (Guid.NewGuid(), Guid.NewGuid());
        var memberId = Guid.NewGuid();
        var bus = _factory.Services.GetRequiredService<IBus>();
        var t0 = DateTimeOffset.UtcNow;
        await bus.Publish(new ProcessVisibilityChanged(processId, ProcessVisibilities.Public, [memberId], t0));
        await bus.Publish(new PhaseStarted(processId, phaseId, "Werkstatt", PhaseKinds.Workshop, VotingOn, t0.AddMinutes(-5), t0.AddDays(10)));
        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<long>("SELECT count(*) FROM phases WHERE phase_id = @phaseId", new { phaseId })).Should().Be(1));
        var (ballot, option) = await BallotAsync(processId, phaseId, "Werkstatt-Abstimmung");
        var (other, _) = await BallotAsync(processId, null, "Öffentliche Abstimmung");

        await bus.Publish(new PhaseVisibilityChanged(processId, phaseId, ProcessVisibilities.Internal, t0.AddSeconds(1)));
        await Eventually.AssertAsync(async () =>
            (await _factory.Anonymous().GetAsync($"/ballots/{ballot}")).StatusCode.Should().Be(HttpStatusCode.NotFound),
            ProcessGate.MaxAge + TimeSpan.FromSeconds(10));

        var member = _factory.ClientFor(memberId, ["citizen"]);
        foreach (var outsider in new[] { _factory.Anonymous(), _factory.Citizen(out _), _factory.Moderator(), member })
        {
            await AssertHiddenAsync(outsider, processId, ballot, other);
        }
        await _factory.Citizen(out _).VoteAsync(ballot, new { selected = new[] { option } }, expected: HttpStatusCode.NotFound);
        await member.VoteAsync(ballot, new { selected = new[] { option } }, expected: HttpStatusCode.NotFound);
        (await _factory.Staff().GetAsync($"/ballots/{ballot}/results")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await _factory.Staff().GetAsync($"/ballots?processId={processId}")).Json200()).GetArrayLength().Should().Be(2);

        // Members-only: the process's members see and vote, everyone else still gets 404.
        await bus.Publish(new PhaseVisibilityChanged(processId, phaseId, ProcessVisibilities.Members, t0.AddSeconds(2)));
        await Eventually.AssertAsync(async () =>
            (await member.GetAsync($"/ballots/{ballot}")).StatusCode.Should().Be(HttpStatusCode.OK),
            ProcessGate.MaxAge + TimeSpan.FromSeconds(10));
        await member.VoteAsync(ballot, new { selected = new[] { option } });
        (await member.GetAsync($"/ballots/{ballot}/eligibility/me")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await member.GetAsync($"/ballots?processId={processId}")).Json200()).GetArrayLength().Should().Be(2);
        await AssertHiddenAsync(_factory.Citizen(out _), processId, ballot, other);

        // A late, older event (public) does not undo the newer one.
        await bus.Publish(new PhaseVisibilityChanged(processId, phaseId, ProcessVisibilities.Public, t0));
        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<long>("SELECT count(*) FROM processed_messages WHERE consumer = 'PhaseVisibilityChangedConsumer'"))
                .Should().BeGreaterThanOrEqualTo(3));
        await Task.Delay(ProcessGate.MaxAge);
        (await _factory.Anonymous().GetAsync($"/ballots/{ballot}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.QueryAsync<string>("SELECT visibility FROM phases WHERE phase_id = @phaseId", new { phaseId })).Should().Be("members");
    }

    [Fact]
    public async Task PhaseVisibility_BeforePhaseStarted_IsKept_AndHidesTheBallot()
    {
        var (processId, phaseId) = (Guid.NewGuid(), Guid.NewGuid());
        var bus = _factory.Services.GetRequiredService<IBus>();
        var t0 = DateTimeOffset.UtcNow;
        await bus.Publish(new PhaseVisibilityChanged(processId, phaseId, ProcessVisibilities.Internal, t0));
        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<string>("SELECT visibility FROM phases WHERE phase_id = @phaseId", new { phaseId })).Should().Be("internal"));
        await bus.Publish(new PhaseStarted(processId, phaseId, "Werkstatt", PhaseKinds.Workshop, VotingOn, t0.AddMinutes(-5), t0.AddDays(10)));
        await Eventually.AssertAsync(async () =>
            (await _factory.QueryAsync<string>("SELECT title FROM phases WHERE phase_id = @phaseId", new { phaseId })).Should().Be("Werkstatt"));
        var (ballot, _) = await BallotAsync(processId, phaseId, "Intern");
        await Task.Delay(ProcessGate.MaxAge);
        (await _factory.QueryAsync<string>("SELECT visibility FROM phases WHERE phase_id = @phaseId", new { phaseId })).Should().Be("internal");
        (await _factory.Citizen(out _).GetAsync($"/ballots/{ballot}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Staff().GetAsync($"/ballots/{ballot}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task AssertHiddenAsync(HttpClient outsider, Guid processId, Guid ballot, Guid other)
    {
        foreach (var path in new[] { $"/ballots/{ballot}", $"/ballots/{ballot}/results", $"/ballots/{ballot}/results/versions", $"/ballots/{ballot}/results/stream" })
        {
            (await outsider.GetAsync(path, HttpCompletionOption.ResponseHeadersRead)).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        }
        var listed = await (await outsider.GetAsync($"/ballots?processId={processId}")).Json200();
        listed.EnumerateArray().Select(b => b.GetProperty("id").GetGuid()).Should().Equal(other);
        (await outsider.GetAsync($"/ballots/{other}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
