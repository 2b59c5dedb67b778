using System.Globalization;
using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Reporting;
using Mitreden.LoadTests.Scenarios;

namespace Mitreden.LoadTests;

/// <summary>One run: the scenarios in the given order against one client, then the summary line.</summary>
public static class LoadRun
{
    public static async Task<RunResult> ExecuteAsync(LoadOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var run = new RunResult
        {
            BaseUrl = options.BaseUrl.ToString(),
            CommandLine = "Mitreden.LoadTests " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
        };
        using var http = LoadHttp.Create(options.BaseUrl, TimeSpan.FromMilliseconds(options.TimeoutMs));
        var budget = new RunBudget(options.MaxRequests, TimeSpan.FromSeconds(options.MaxSeconds));
        var runner = new StepRunner(budget, options.MaxInFlight, TimeSpan.FromMilliseconds(options.TimeoutMs), progress);
        var context = new ScenarioContext(http, runner, options, progress);
        run.Notes.Add($"caps: {options.MaxRequests:#,0} requests, {options.MaxSeconds:0} s; max in flight {options.MaxInFlight}; timeout {options.TimeoutMs} ms");
        foreach (var name in options.Scenarios)
        {
            if (cancellationToken.IsCancellationRequested || budget.Expired)
            {
                run.Notes.Add($"scenario {name} not run: {(budget.Expired ? "run time cap reached" : "cancelled")}");
                continue;
            }
            progress.WriteLine($"scenario {name}");
            ScenarioResult result;
            try
            {
                result = await ScenarioCatalog.Create(name).RunAsync(context, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                progress.WriteLine($"  {name} failed: {e.Message}");
                result = new ScenarioResult(name, name) { Description = "The scenario could not run." };
                result.Checks.Add(("setup", e.Message, false));
            }
            context.Completed.Add(result);
            run.Scenarios.Add(result);
        }
        run.SummaryLine = options.FaultName is { } fault ? FaultSummaryLine(fault, run.Scenarios) : SummaryLine(run.Scenarios);
        return run;
    }

    /// <summary>
    /// <c>fault=NAME accepted=N counted=N lost=N duplicated=N errors=N recovery_s=F unauthorized=N passed=0|1</c>:
    /// distinct voters with a 202, voters the tally counts, the vote burst's checks, failed vote requests, the recovery
    /// time (-1 when not recovered), vote requests answered 401 and whether every check passed. Values the run never reached are -1.
    /// </summary>
    public static string FaultSummaryLine(string fault, IReadOnlyList<ScenarioResult> scenarios)
    {
        var votes = scenarios.FirstOrDefault(s => s.Name == "vote-burst");
        double Check(string name) =>
            double.TryParse(votes?.Checks.FirstOrDefault(c => c.Name == name).Value?.Split(' ')[0],
                NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var v) ? v : -1;
        var passed = votes is not null && votes.Checks.Count > 0 && votes.Checks.All(c => c.Passed != false);
        return string.Create(CultureInfo.InvariantCulture,
            $"fault={fault} accepted={Check("distinct accepted voters"):0} counted={Check("counted voters (staff results)"):0} " +
            $"lost={Check("lost"):0} duplicated={Check("duplicated"):0} errors={Check("failed vote requests (no 202)"):0} " +
            $"recovery_s={Check("recovery s"):0.0} unauthorized={Check("vote requests answered 401"):0} passed={(passed ? 1 : 0)}");
    }

    /// <summary>
    /// <c>votes_per_s p99_ms lag_p99_ms lost duplicated ratio_vs_noop</c>: accepted votes/s and p99 of the vote
    /// burst's sustained step (its longest open step), the sampled end-to-end lag p99, the pipeline checks, and the
    /// closed-model vote throughput divided by the closed-model no-op throughput of the same run. Null without a
    /// vote burst.
    /// </summary>
    public static string? SummaryLine(IReadOnlyList<ScenarioResult> scenarios)
    {
        var votes = scenarios.FirstOrDefault(s => s.Name == "vote-burst");
        if (votes is null)
        {
            return null;
        }
        var noop = scenarios.FirstOrDefault(s => s.Name == "noop");
        var sustained = SustainedStep(votes);
        double Check(string name) =>
            double.TryParse(votes.Checks.FirstOrDefault(c => c.Name == name).Value?.Split(' ')[0], NumberStyles.Float,
                CultureInfo.InvariantCulture, out var v) ? v : -1;
        var ratio = Ratio(ClosedRate(votes), ClosedRate(noop));
        return string.Create(CultureInfo.InvariantCulture,
            $"votes_per_s={Math.Round(sustained?.OkPerSecond ?? 0):0} p99_ms={Math.Round(sustained?.P99Ms ?? 0):0} " +
            $"lag_p99_ms={Math.Round(Check("lag p99 ms")):0} lost={Check("lost"):0} duplicated={Check("duplicated"):0} " +
            $"ratio_vs_noop={ratio:0.00}");
    }

    /// <summary>The longest counted open step (the last one on ties): the "sustained" figure of a plan.</summary>
    public static StepSummary? SustainedStep(ScenarioResult scenario) =>
        scenario.Counted.Where(s => s.Model == "open")
            .Select((s, i) => (s, i)).OrderByDescending(x => x.s.PlannedSeconds).ThenByDescending(x => x.i)
            .Select(x => x.s).FirstOrDefault();

    private static double ClosedRate(ScenarioResult? scenario) =>
        scenario?.Counted.Where(s => s.Model == "closed").Select(s => s.OkPerSecond).DefaultIfEmpty(0).Max() ?? 0;

    private static double Ratio(double a, double b) => b > 0 ? a / b : 0;

    public static string DefaultOutputRoot()
    {
        // loadtests/out next to the project when run from the repository, else ./out
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Mitreden.slnx")))
                {
                    return Path.Combine(dir.FullName, "loadtests", "out");
                }
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "out");
    }
}
