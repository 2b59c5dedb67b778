using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

[Collection(ProposalsCollection.Name)]
public sealed class PhaseClockTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    [Fact]
    public async Task TickAsync_FourInstancesAtOnce_AnnounceEachTransitionExactlyOnce()
    {
        // Phases far in the future, so the service's own clock (real time) leaves them alone; the ticks below pretend it is then.
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var future = DateTimeOffset.UtcNow.AddYears(20);
        var first = await AddPhaseAsync(staff, process.Id, future, future.AddHours(1));
        var second = await AddPhaseAsync(staff, process.Id, future.AddHours(1), future.AddHours(2));

        async Task<int> TickAt(DateTimeOffset now)
        {
            var ticks = Enumerable.Range(0, 4).Select(async _ =>
            {
                await using var scope = _factory.Scope();
                return await PhaseTransitions.TickAsync(scope.ServiceProvider.GetRequiredService<ProposalsDb>(), now, CancellationToken.None);
            });
            return (await Task.WhenAll(ticks)).Sum();
        }

        (await TickAt(future.AddMinutes(30))).Should().BeGreaterThanOrEqualTo(1);
        (await TickAt(future.AddMinutes(90))).Should().BeGreaterThanOrEqualTo(2);
        (await TickAt(future.AddMinutes(91))).Should().Be(0, "nothing is left to announce");

        (await _factory.OutboxAsync<PhaseStarted>(e => e.PhaseId == first.Id)).Should().ContainSingle();
        (await _factory.OutboxAsync<PhaseEnded>(e => e.PhaseId == first.Id)).Should().ContainSingle();
        (await _factory.OutboxAsync<PhaseStarted>(e => e.PhaseId == second.Id)).Should().ContainSingle();
        (await _factory.OutboxAsync<PhaseEnded>(e => e.PhaseId == second.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task UpdateSwitches_RunningPhase_PublishesPhaseSwitchesChanged()
    {
        var process = await _factory.CreatePublishedProcessAsync(proposing: true);
        var staff = _factory.Staff();
        var running = process.CurrentPhase!;
        (await _factory.OutboxAsync<PhaseStarted>(e => e.PhaseId == running.Id)).Should().ContainSingle("publishing starts the running phase");

        var updated = await (await staff.PutJson($"/processes/{process.Id}/phases/{running.Id}/switches",
            new { proposing = false, commenting = true, preModeration = true, voting = true, resultsVisible = false })).Read<PhaseResponse>();
        updated.Switches.PreModeration.Should().BeTrue();
        var changed = (await _factory.OutboxAsync<PhaseSwitchesChanged>(e => e.PhaseId == running.Id)).Should().ContainSingle().Which.Message;
        changed.Switches.Should().Be(new PhaseSwitches(false, true, true, true, false));

        // Same switches again: nothing to announce. A phase that is not running: no event either.
        (await staff.PutJson($"/processes/{process.Id}/phases/{running.Id}/switches",
            new { proposing = false, commenting = true, preModeration = true, voting = true, resultsVisible = false })).EnsureSuccessStatusCode();
        var later = await AddPhaseAsync(staff, process.Id, DateTimeOffset.UtcNow.AddDays(20), DateTimeOffset.UtcNow.AddDays(30));
        (await staff.PutJson($"/processes/{process.Id}/phases/{later.Id}/switches",
            new { proposing = true, commenting = true, preModeration = true, voting = true, resultsVisible = true })).EnsureSuccessStatusCode();
        (await _factory.OutboxAsync<PhaseSwitchesChanged>(e => e.ProcessId == process.Id)).Should().ContainSingle();

        // Proposing now off: citizens get 409.
        (await _factory.Citizen(out _).PostJson($"/processes/{process.Id}/items", new { title = "Idee", description = "" }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UpdatePhase_RunningPhaseMovedToFuture_EndsItAndStartsItAgainLater()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var running = process.CurrentPhase!;
        var startsAt = DateTimeOffset.UtcNow.AddSeconds(2);
        (await staff.PutJson($"/processes/{process.Id}/phases/{running.Id}", new
        {
            title = running.Title, kind = running.Kind, startsAt, endsAt = startsAt.AddDays(1), switches = running.Switches,
        })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.OutboxAsync<PhaseEnded>(e => e.PhaseId == running.Id)).Should().ContainSingle();
        await Eventually.AssertAsync(async () =>
            (await _factory.OutboxAsync<PhaseStarted>(e => e.PhaseId == running.Id)).Should().HaveCount(2), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task CreatePhase_OverlapOrBadKind_Returns422()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var now = DateTimeOffset.UtcNow;
        var overlap = await (await staff.PostJson($"/processes/{process.Id}/phases", new
        {
            title = "Doppelt", kind = "workshop", startsAt = now, endsAt = now.AddHours(1), switches = PhaseSwitches.AllOff,
        })).Problem((HttpStatusCode)422);
        overlap.GetProperty("errors").GetProperty("startsAt")[0].GetString().Should().Contain("Overlaps");
        (await staff.PostJson($"/processes/{process.Id}/phases", new
        {
            title = "X", kind = "party", startsAt = now.AddDays(30), endsAt = now.AddDays(29), switches = PhaseSwitches.AllOff,
        })).StatusCode.Should().Be((HttpStatusCode)422);
    }

    [Fact]
    public async Task DeletePhase_Running_PublishesPhaseEnded()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var running = process.CurrentPhase!;
        (await _factory.Staff().DeleteAsync($"/processes/{process.Id}/phases/{running.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _factory.OutboxAsync<PhaseEnded>(e => e.PhaseId == running.Id)).Should().ContainSingle();
        var after = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}")).Read<ProcessResponse>();
        after.Phases.Should().BeEmpty();
        after.CurrentPhase.Should().BeNull();
    }

    private static async Task<PhaseResponse> AddPhaseAsync(HttpClient staff, Guid processId, DateTimeOffset startsAt, DateTimeOffset endsAt) =>
        await (await staff.PostJson($"/processes/{processId}/phases", new
        {
            title = Api.Unique("Phase"), kind = "workshop", startsAt, endsAt, switches = PhaseSwitches.AllOff,
        })).Read<PhaseResponse>(HttpStatusCode.Created);
}
