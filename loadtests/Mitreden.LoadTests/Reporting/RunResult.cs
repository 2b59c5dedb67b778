using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Reporting;

/// <summary>A scenario's steps plus its checks (e.g. lost/duplicated votes) and free-text notes.</summary>
public sealed class ScenarioResult(string name, string title)
{
    public string Name { get; } = name;
    public string Title { get; } = title;
    public string Description { get; set; } = "";
    public List<StepSummary> Steps { get; } = [];
    public List<(string Name, string Value, bool? Passed)> Checks { get; } = [];
    public List<string> Notes { get; } = [];

    public IEnumerable<StepSummary> Counted => Steps.Where(s => !s.Warmup);
}

public sealed class RunResult
{
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
    public required string BaseUrl { get; init; }
    public required string CommandLine { get; init; }
    public List<ScenarioResult> Scenarios { get; } = [];
    public List<string> Notes { get; } = [];
    public string? SummaryLine { get; set; }
}
