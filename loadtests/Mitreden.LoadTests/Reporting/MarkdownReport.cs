using System.Text;
using System.Text.Json;

namespace Mitreden.LoadTests.Reporting;

/// <summary>Writes report.md, chart.svg and results.json into the run's output folder.</summary>
public static class MarkdownReport
{
    public static string Render(RunResult run)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Load run {run.StartedAt:yyyy-MM-dd HH:mm:ss} UTC").AppendLine();
        md.AppendLine($"- target: `{run.BaseUrl}` (loopback only)");
        md.AppendLine($"- command: `{run.CommandLine}`");
        md.AppendLine($"- machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        md.AppendLine("- the driver shares the machine with the system under test: compare ratios measured in one run, not absolutes");
        md.AppendLine("- open-model latencies are measured from each request's intended send time (no coordinated omission); closed-model latencies from the actual send");
        foreach (var note in run.Notes)
        {
            md.AppendLine($"- {note}");
        }
        md.AppendLine().AppendLine("![throughput and p99 per step](chart.svg)").AppendLine();
        if (run.SummaryLine is not null)
        {
            md.AppendLine("```").AppendLine(run.SummaryLine).AppendLine("```").AppendLine();
        }
        foreach (var scenario in run.Scenarios)
        {
            md.AppendLine($"## {scenario.Title}").AppendLine();
            if (scenario.Description.Length > 0)
            {
                md.AppendLine(scenario.Description).AppendLine();
            }
            md.AppendLine("| step | model | planned s | elapsed s | issued | sent/s | ok | ok/s | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
            md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|");
            foreach (var s in scenario.Steps)
            {
                var label = s.Warmup ? $"*{s.Label}* (not counted)" : s.Label;
                if (s.StoppedByBudget)
                {
                    label += " (stopped: run cap)";
                }
                md.AppendLine($"| {label} | {s.Model} | {Format.N(s.PlannedSeconds)} | {Format.N(s.ElapsedSeconds)} | {Format.Int(s.Issued)} | {(s.Model == "open" ? Format.Int(s.SentPerSecond) : "–")} | {Format.Int(s.Ok)} | {Format.Int(s.OkPerSecond)} | {Format.Errors(s.Errors)} | {Format.N(s.P50Ms)} | {Format.N(s.P90Ms)} | {Format.N(s.P99Ms)} | {Format.N(s.P999Ms)} | {Format.N(s.MaxMs)} |");
            }
            md.AppendLine();
            if (scenario.Checks.Count > 0)
            {
                md.AppendLine("| check | value | |").AppendLine("|---|---|---|");
                foreach (var (name, value, passed) in scenario.Checks)
                {
                    md.AppendLine($"| {name} | {value} | {passed switch { true => "ok", false => "**FAILED**", null => "" }} |");
                }
                md.AppendLine();
            }
            foreach (var note in scenario.Notes)
            {
                md.AppendLine($"- {note}");
            }
            if (scenario.Notes.Count > 0)
            {
                md.AppendLine();
            }
        }
        return md.ToString();
    }

    /// <summary>Writes the three files and returns the report's path.</summary>
    public static string Write(RunResult run, string folder)
    {
        Directory.CreateDirectory(folder);
        var report = Path.Combine(folder, "report.md");
        File.WriteAllText(report, Render(run));
        File.WriteAllText(Path.Combine(folder, "chart.svg"), SvgChart.Render(run));
        File.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(new
        {
            run.StartedAt,
            run.BaseUrl,
            run.CommandLine,
            run.SummaryLine,
            run.Notes,
            Scenarios = run.Scenarios.Select(s => new
            {
                s.Name, s.Title, s.Steps, Checks = s.Checks.Select(c => new { c.Name, c.Value, c.Passed }), s.Notes,
            }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        return report;
    }
}
