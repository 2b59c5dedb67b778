using System.Xml.Linq;
using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Reporting;

namespace Mitreden.LoadTests.Tests;

public class ReportTests
{
    private static StepSummary Step(string label, double rate, double okPerSecond, double p99, bool warmup = false,
        string model = "open", double seconds = 10, Dictionary<string, long>? errors = null) =>
        new(label, model, warmup, rate, model == "closed" ? 64 : 0, seconds, seconds, (long)(okPerSecond * seconds),
            (long)(okPerSecond * seconds), errors ?? new Dictionary<string, long>(), okPerSecond, rate, 1, 2, p99, p99 * 2, p99 * 3,
            (long)(okPerSecond * seconds), false);

    private static RunResult SampleRun()
    {
        var run = new RunResult { BaseUrl = "http://127.0.0.1:8080/", CommandLine = "Mitreden.LoadTests --quick" };
        var noop = new ScenarioResult("noop", "No-op <baseline> & more");
        noop.Steps.Add(Step("warm-up 500/s", 500, 500, 3, warmup: true));
        noop.Steps.Add(Step("1000/s", 1000, 999, 4));
        noop.Steps.Add(Step("64 users", 0, 9000, 20, model: "closed"));
        var votes = new ScenarioResult("vote-burst", "Vote burst");
        votes.Steps.Add(Step("500/s", 500, 500, 8, seconds: 5));
        votes.Steps.Add(Step("1500/s", 1500, 1490, 35.4, seconds: 60, errors: new() { ["http-503"] = 12 }));
        votes.Steps.Add(Step("2000/s", 2000, 1800, 300, seconds: 20));
        votes.Steps.Add(Step("64 users", 0, 3600, 40, model: "closed"));
        votes.Checks.Add(("lost", "0", true));
        votes.Checks.Add(("duplicated", "0", true));
        votes.Checks.Add(("lag p99 ms", "412.7", null));
        run.Scenarios.Add(noop);
        run.Scenarios.Add(votes);
        run.SummaryLine = LoadTests.LoadRun.SummaryLine(run.Scenarios);
        return run;
    }

    [Fact]
    public void Write_Run_WritesReportChartAndJson()
    {
        var folder = Path.Combine(Path.GetTempPath(), "loadtests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var report = MarkdownReport.Write(SampleRun(), folder);

            var md = File.ReadAllText(report);
            md.Should().Contain("| 1500/s | open |").And.Contain("http-503 12").And.Contain("(not counted)")
                .And.Contain("![throughput and p99 per step](chart.svg)").And.Contain("| lost | 0 | ok |");
            File.Exists(Path.Combine(folder, "results.json")).Should().BeTrue();

            var svg = XDocument.Parse(File.ReadAllText(Path.Combine(folder, "chart.svg")));
            XNamespace ns = "http://www.w3.org/2000/svg";
            svg.Root!.Name.Should().Be(ns + "svg");
            var panels = svg.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "panel").ToList();
            panels.Should().HaveCount(2);
            panels[0].Elements(ns + "rect").Should().HaveCount(2, "the warm-up step is not drawn");
            panels[1].Elements(ns + "rect").Should().HaveCount(4);
            panels[1].Element(ns + "polyline")!.Attribute("points")!.Value.Split(' ').Should().HaveCount(4);
            svg.ToString().Should().Contain("No-op &lt;baseline&gt; &amp; more");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SummaryLine_Run_UsesSustainedStepAndClosedRatio()
    {
        SampleRun().SummaryLine.Should().Be("votes_per_s=1490 p99_ms=35 lag_p99_ms=413 lost=0 duplicated=0 ratio_vs_noop=0.40");
    }

    [Fact]
    public void Render_Run_TableHasEveryStepAndChecks()
    {
        var table = ConsoleTable.Render(SampleRun());
        table.Split('\n').Should().Contain(l => l.StartsWith("vote-burst") && l.Contains("1500/s") && l.Contains("1,490"));
        table.Should().Contain("lost 0 (ok)");
    }

    [Theory]
    [InlineData("500x20,1000x30,1500x60", 3, 110)]
    [InlineData("u64x15", 1, 15)]
    [InlineData(" 2000x0.5 ", 1, 0.5)]
    public void ParsePlan_ValidText_Steps(string text, int count, double seconds)
    {
        var steps = LoadStep.ParsePlan(text);
        steps.Should().HaveCount(count);
        steps.Sum(s => s.Duration.TotalSeconds).Should().BeApproximately(seconds, 1e-9);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("x20")]
    [InlineData("-5x10")]
    [InlineData("500x0")]
    [InlineData("ux10")]
    public void ParsePlan_InvalidText_Throws(string text) =>
        FluentActions.Invoking(() => LoadStep.ParsePlan(text)).Should().Throw<FormatException>();

    [Fact]
    public void PlanFor_Quick_WarmupFirstAndClosedLast()
    {
        var plan = LoadOptions.Parse(["--quick"]).PlanFor("vote-burst");
        plan[0].Warmup.Should().BeTrue();
        plan.Skip(1).Should().OnlyContain(s => !s.Warmup);
        plan[1].Model.Should().Be(LoadModel.Closed, "capacity is measured before the open steps can overload");
        plan.Skip(2).Should().OnlyContain(s => s.Model == LoadModel.Open);
        plan.Sum(s => s.Duration.TotalSeconds).Should().BeLessThanOrEqualTo(30);
    }
}
