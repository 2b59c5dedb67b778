using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Reporting;

/// <summary>The summary table printed at the end of a run (the Markdown report has the same rows).</summary>
public static class ConsoleTable
{
    public static readonly string[] Header =
        ["scenario", "step", "ok/s", "ok", "errors", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"];

    public static IEnumerable<string[]> Rows(RunResult run) =>
        from scenario in run.Scenarios
        from step in scenario.Steps
        select Row(scenario.Name, step);

    public static string[] Row(string scenario, StepSummary s) =>
    [
        scenario, s.Label, Format.Int(s.OkPerSecond), Format.Int(s.Ok), Format.Errors(s.Errors),
        Format.N(s.P50Ms, "0.0"), Format.N(s.P90Ms, "0.0"), Format.N(s.P99Ms, "0.0"), Format.N(s.P999Ms, "0.0"), Format.N(s.MaxMs, "0.0"),
    ];

    public static string Render(RunResult run)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(Rows(run));
        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var lines = rows.Select(r => string.Join("  ", r.Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c])))).ToList();
        lines.Insert(1, new string('-', lines[0].Length));
        foreach (var scenario in run.Scenarios.Where(s => s.Checks.Count > 0))
        {
            lines.Add($"{scenario.Name}: " + string.Join("; ", scenario.Checks.Select(c => $"{c.Name} {c.Value}{Mark(c.Passed)}")));
        }
        return string.Join(Environment.NewLine, lines);
    }

    internal static string Mark(bool? passed) => passed switch { true => " (ok)", false => " (FAILED)", null => "" };
}
