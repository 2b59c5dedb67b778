using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Reporting;

namespace Mitreden.LoadTests.Scenarios;

/// <summary>What every scenario gets: the one HTTP client, the step runner (with the run's caps) and the options.</summary>
public sealed class ScenarioContext(HttpClient http, StepRunner runner, LoadOptions options, TextWriter progress)
{
    public HttpClient Http { get; } = http;
    public StepRunner Runner { get; } = runner;
    public LoadOptions Options { get; } = options;
    public TextWriter Progress { get; } = progress;

    /// <summary>Results of scenarios already run in this process (the vote burst reads the no-op baseline).</summary>
    public List<ScenarioResult> Completed { get; } = [];
}

public interface IScenario
{
    string Name { get; }
    Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}

public static class ScenarioCatalog
{
    public static readonly string[] Names = ["noop", "vote-burst", "mixed"];

    public static IScenario Create(string name) => name switch
    {
        "noop" => new NoopScenario(),
        "vote-burst" => new VoteBurstScenario(),
        "mixed" => new MixedEveningScenario(),
        _ => throw new ArgumentException($"Unknown scenario '{name}' (known: {string.Join(", ", Names)})."),
    };
}
