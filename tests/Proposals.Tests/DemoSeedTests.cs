using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Demo;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>The demo content as the other services expect it (fixed ids of DEMO_IDS.md), on a database of its own.</summary>
public sealed class DemoSeedTests : IAsyncLifetime
{
    private readonly ServiceFactory<ProposalsDb> _factory = new ServiceFactory<ProposalsDb>("proposals").With("Demo:Seed", "true");

    private static Guid Process(int p) => Guid.Parse($"22222222-0000-0000-0000-00000000000{p}");

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _factory.CreateClient().Dispose();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task Seed_EmptyDatabase_CreatesTheFiveDemoProcessesWithFixedIds()
    {
        var anonymous = _factory.Anonymous();
        var processes = await (await anonymous.GetAsync("/processes")).Read<List<ProcessSummary>>();
        processes.Select(p => p.Id).Should().BeEquivalentTo(Enumerable.Range(1, 5).Select(Process));
        processes.Should().OnlyContain(p => p.Status == ProcessStatus.Published);
        processes.Select(p => p.City).Should().BeEquivalentTo(["Bergkamen", "Leverkusen", "Kaiserslautern", "Delmenhorst", "Lünen"]);

        // Lünen: four fields of action, three cross-cutting themes, a running online phase (…053) and ≥ 20 measures …050001–…050020.
        var luenen = await (await anonymous.GetAsync($"/processes/{Process(5)}")).Read<ProcessResponse>();
        luenen.FieldsOfAction.Select(f => f.Title).Should().Equal("Smarte Mobilität", "Umwelt, Energie & Klima", "Wirtschaft und Stadtentwicklung",
            "Gesellschaft und Teilhabe");
        luenen.Themes.Select(t => t.Title).Should().Equal("Digitale Infrastruktur", "Services und Daten", "Kooperation und Beteiligung");
        luenen.CurrentPhase!.Id.Should().Be(Guid.Parse("33333333-0000-0000-0000-000000000053"));
        luenen.CurrentPhase.Switches.Should().Be(new PhaseSwitches(Proposing: true, Commenting: true, PreModeration: false, Voting: true,
            ResultsVisible: false));
        luenen.CurrentPhase.StartsAt.Should().BeCloseTo(DateTimeOffset.UtcNow.Date.AddDays(-1), TimeSpan.FromDays(1));
        luenen.CurrentPhase.EndsAt.Should().BeAfter(DateTimeOffset.UtcNow.AddDays(58));
        var measures = await (await anonymous.GetAsync($"/processes/{Process(5)}/items?kind=measure&pageSize=100&sort=oldest")).Read<ItemPage>();
        measures.Total.Should().BeGreaterThanOrEqualTo(20);
        var ballotItems = Enumerable.Range(1, 20).Select(n => Guid.Parse($"44444444-0000-0000-0000-0000000500{n:D2}")).ToList();
        measures.Items.Select(i => i.Id).Should().Contain(ballotItems);
        measures.Items.Should().OnlyContain(i => i.Official && i.Priority == null, "Lünen chose its measures without priorities");

        // Leverkusen: Stadtcheck … Online-Beteiligung (running, commenting and voting on) … Endpräsentation; four scenarios.
        var leverkusen = await (await anonymous.GetAsync($"/processes/{Process(2)}")).Read<ProcessResponse>();
        leverkusen.Phases.Select(p => p.Kind).Should().Equal(PhaseKinds.Stocktaking, PhaseKinds.Kickoff, PhaseKinds.Workshop,
            PhaseKinds.FutureWorkshop, PhaseKinds.GoalsConference, PhaseKinds.OnlineParticipation, PhaseKinds.FinalPresentation);
        leverkusen.CurrentPhase!.Kind.Should().Be(PhaseKinds.OnlineParticipation);
        leverkusen.CurrentPhase.Switches.Commenting.Should().BeTrue();
        leverkusen.CurrentPhase.Switches.Voting.Should().BeTrue();
        var scenarios = await (await anonymous.GetAsync($"/processes/{Process(2)}/items?kind=scenario")).Read<ItemPage>();
        scenarios.Items.Select(i => i.Id).Should().BeEquivalentTo(Enumerable.Range(1, 4).Select(n => Guid.Parse($"44444444-0000-0000-0000-00000002000{n}")));

        // Bergkamen: the two workshops of the administration are an internal phase: staff see four phases, citizens two.
        var bergkamen = await (await anonymous.GetAsync($"/processes/{Process(1)}")).Read<ProcessResponse>();
        bergkamen.Phases.Select(p => p.Kind).Should().Equal(PhaseKinds.Stocktaking, PhaseKinds.FinalPresentation);
        var bergkamenForStaff = await (await _factory.Staff().GetAsync($"/processes/{Process(1)}")).Read<ProcessResponse>();
        bergkamenForStaff.Phases.Where(p => p.Visibility == ProcessVisibilities.Internal).Select(p => p.Title)
            .Should().Equal("Workshop 1: Zieldiskussion", "Workshop 2: Vertiefung der Ergebnisse");
        var announced = (await _factory.OutboxAsync<PhaseVisibilityChanged>(e => e.ProcessId == Process(1))).Select(e => e.Message).ToList();
        announced.Take(2).Select(m => m.Visibility).Should().Equal(ProcessVisibilities.Internal, ProcessVisibilities.Internal);
        announced.GroupBy(m => m.PhaseId).Where(g => g.Last().Visibility == ProcessVisibilities.Internal).Should()
            .HaveCount(2, "every phase is announced again at start (Reannouncement), as it is");

        // The other services learn it all through the outbox.
        await Eventually.AssertAsync(async () =>
        {
            var published = await _factory.OutboxAsync<ItemPublished>(e => e.ProcessId == Process(5));
            published.Select(p => p.Message.ItemId).Should().Contain(ballotItems);
            published.Should().OnlyContain(p => p.DispatchedAt != null);
            (await _factory.OutboxAsync<ProcessPublished>()).Should().HaveCount(5);
            (await _factory.OutboxAsync<PhaseStarted>(e => e.PhaseId == luenen.CurrentPhase.Id)).Should().ContainSingle()
                .Which.DispatchedAt.Should().NotBeNull();
        });
    }

    [Fact]
    public async Task Seed_Delmenhorst_HasAYearlyMonitoringReport()
    {
        var report = await (await _factory.Anonymous().GetAsync($"/processes/{Process(4)}/monitoring/report?year=2024&format=json"))
            .Read<MonitoringReportDocument>();
        report.Summary.Measures.Should().Be(8);
        var renewal = report.Measures.Single(m => m.Title == "Stadtteilerneuerung im Programm Soziale Stadt");
        renewal.ProgressAtStartOfYear.Should().Be(60);
        renewal.ProgressPercent.Should().Be(85);
        renewal.MilestonesReached.Should().Be(1);
        renewal.ResponsibleOffice.Should().Be("Fachdienst Stadtplanung");
        report.Summary.ByStatus.Should().ContainKey("completed");
    }

    [Fact]
    public async Task Seed_SecondStart_DoesNotSeedAgain()
    {
        var seeder = new DemoSeeder(_factory.Services.GetRequiredService<IServiceScopeFactory>(),
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Demo:Seed"] = "true" }).Build(),
            TimeProvider.System, NullLogger<DemoSeeder>.Instance);
        await seeder.StartAsync(CancellationToken.None);
        await using var scope = _factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
        (await db.Processes.CountAsync()).Should().Be(5);
        (await db.Districts.CountAsync(d => d.City == "Lünen")).Should().Be(5);
    }

    [Fact]
    public async Task Seed_CitizenIdea_OfDemoCitizenIsAnswered()
    {
        var idea = await (await _factory.ClientFor(Guid.Parse("11111111-0000-0000-0000-000000000001"), ["citizen"])
            .GetAsync("/items/44444444-0000-0000-0000-000000050026")).Read<ItemResponse>();
        idea.IsOwn.Should().BeTrue();
        idea.Kind.Should().Be(ItemKinds.CitizenIdea);
        idea.PublicAnswer.Should().NotBeNullOrEmpty();
        idea.AnsweredAt.Should().NotBeNull();
        (await _factory.Anonymous().GetAsync("/districts?city=Lünen")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
