using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Reporting;

namespace Mitreden.LoadTests.Scenarios;

/// <summary>
/// Scenario 2, the baseline: GET /api/voting/noop through the same gateway with the same driver, so the vote
/// path can be stated as a share of what the gateway hop plus a trivial endpoint achieve in the same run.
/// </summary>
public sealed class NoopScenario : IScenario
{
    public const string Path = "/api/voting/noop";
    public string Name => "noop";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var result = new ScenarioResult(Name, "No-op baseline (GET /api/voting/noop through the gateway)")
        {
            Description = "The same driver, client and steps as the vote burst, against an endpoint that does nothing: " +
                          "the ceiling set by the gateway hop, the driver and the shared CPU.",
        };
        var http = context.Http;
        Operation operation = async (_, ct) =>
        {
            using var response = await http.GetAsync(Path, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? Outcome.Success : Outcome.Failure(ErrorKinds.Http((int)response.StatusCode));
        };
        foreach (var step in context.Options.PlanFor(Name))
        {
            result.Steps.Add(await context.Runner.RunAsync(Name, step, operation, cancellationToken));
        }
        return result;
    }
}
