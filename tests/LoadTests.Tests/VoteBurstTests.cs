using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Reporting;
using Mitreden.LoadTests.Scenarios;

namespace Mitreden.LoadTests.Tests;

public class VoteBurstTests
{
    private static LoadOptions Options(Uri baseUrl, int closedUsers) => LoadOptions.Parse([
        "--base-url", baseUrl.ToString(), "--scenarios", "noop,vote-burst",
        "--plan", "noop=200x0.5", "--plan", "vote-burst=300x1",
        "--warmup", "0.3", "--closed-users", closedUsers.ToString(), "--closed-seconds", "0.3", "--settle-seconds", "0",
        "--lag-sample", "0.1", "--drain-timeout", "8",
    ]);

    /// <summary>The fault tests run without the closed step: it may use up the voter pool, and then voters whose
    /// first vote was lost vote again, which hides the loss from the voter count (the per-option check still sees it).</summary>
    private static async Task<RunResult> RunAsync(FakeMitreden fake, int closedUsers = 0) =>
        await LoadRun.ExecuteAsync(Options(fake.BaseUrl, closedUsers), TextWriter.Null, CancellationToken.None);

    private static string Check(RunResult run, string name) =>
        run.Scenarios.Single(s => s.Name == "vote-burst").Checks.Single(c => c.Name == name).Value;

    [Fact]
    public async Task ExecuteAsync_HealthyPipeline_AllChecksPassAndSummaryLineComplete()
    {
        await using var fake = await FakeMitreden.StartAsync();

        var run = await RunAsync(fake, closedUsers: 4);

        var votes = run.Scenarios.Single(s => s.Name == "vote-burst");
        votes.Checks.Where(c => c.Passed == false).Should().BeEmpty();
        Check(run, "lost").Should().Be("0");
        Check(run, "duplicated").Should().Be("0");
        Check(run, "per-option tally = choices of each voter's last 202").Should().Be("0 differences");
        votes.Steps.Where(s => s.Model == "open").Sum(s => s.Ok).Should().Be(45 + 300, "warm-up at 150/s for 0.3 s, then 300/s for 1 s");
        var accepted = votes.Steps.Sum(s => s.Ok);
        Check(run, "202 responses").Should().StartWith(accepted.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture));
        fake.VotesReceived.Should().Be((int)accepted);
        Check(run, "lag samples").Should().NotStartWith("0 ");
        double.Parse(Check(run, "lag p50 ms"), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(25, "the fake counts after 30 ms");
        run.SummaryLine.Should().MatchRegex(@"^votes_per_s=\d+ p99_ms=\d+ lag_p99_ms=\d+ lost=0 duplicated=0 ratio_vs_noop=\d+\.\d\d$");
    }

    [Fact]
    public async Task ExecuteAsync_PipelineLosesVotes_LostReportedAndCheckFails()
    {
        await using var fake = await FakeMitreden.StartAsync(loseEvery: 25);

        var run = await RunAsync(fake);

        long.Parse(Check(run, "lost")).Should().BeGreaterThan(0);
        run.Scenarios.Single(s => s.Name == "vote-burst").Checks.Should().Contain(c => c.Name == "lost" && c.Passed == false)
            .And.Contain(c => c.Name == "drain (end of load → all counted)" && c.Passed == false);
        run.SummaryLine.Should().NotContain("lost=0 ");
    }

    [Fact]
    public async Task ExecuteAsync_PipelineCountsTwice_DuplicatedReported()
    {
        await using var fake = await FakeMitreden.StartAsync(duplicateEvery: 40);

        var run = await RunAsync(fake);

        long.Parse(Check(run, "duplicated")).Should().BeGreaterThan(0);
        run.SummaryLine.Should().Contain("lost=0").And.NotContain("duplicated=0").And.EndWith("ratio_vs_noop=0.00", "no closed steps ran");
    }

    [Fact]
    public void IsChangeSlot_TenPercent_EveryTenthRequest()
    {
        Enumerable.Range(0, 1000).Count(i => VoteBurstScenario.IsChangeSlot(i, 0.1)).Should().Be(100);
        Enumerable.Range(0, 20).Where(i => VoteBurstScenario.IsChangeSlot(i, 0.1)).Should().Equal(9, 19);
        Enumerable.Range(0, 100).Count(i => VoteBurstScenario.IsChangeSlot(i, 0)).Should().Be(0);
    }

    [Fact]
    public void VotersNeeded_QuickPlan_CoversFirstVotesOfOpenSteps()
    {
        var o = LoadOptions.Parse(["--quick"]);
        var plan = o.PlanFor("vote-burst");
        var firstVotes = plan.Where(s => s.Model == LoadModel.Open).Sum(s => s.PlannedRequests) * 0.9;
        VoteBurstScenario.VotersNeeded(plan, o).Should().BeGreaterThan((int)firstVotes);
    }
}
