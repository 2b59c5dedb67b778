namespace Mitreden.LoadTests.Engine;

/// <summary>Runs a plan's steps one after the other, printing one progress line per step.</summary>
public sealed class StepRunner(RunBudget budget, int maxInFlight, TimeSpan requestTimeout, TextWriter? progress = null)
{
    public RunBudget Budget => budget;

    public async Task<StepSummary> RunAsync(string scenario, LoadStep step, Operation operation, CancellationToken cancellationToken)
    {
        progress?.WriteLine($"  {scenario,-11} {step.Label,-18} running {step.Duration.TotalSeconds:0.#} s ...");
        var recorder = step.Model == LoadModel.Open
            ? await OpenModel.RunAsync(step, operation, budget, maxInFlight, requestTimeout + TimeSpan.FromSeconds(5), cancellationToken)
            : await ClosedModel.RunAsync(step, operation, budget, cancellationToken);
        var summary = recorder.Summarize();
        progress?.WriteLine($"  {scenario,-11} {step.Label,-18} {summary.OkPerSecond,8:0} ok/s  p99 {summary.P99Ms,8:0.0} ms  " +
                            $"errors {summary.ErrorCount}{(summary.StoppedByBudget ? "  (run cap reached)" : "")}");
        return summary;
    }

    public async Task<List<StepSummary>> RunAllAsync(string scenario, IEnumerable<LoadStep> steps, Operation operation,
        CancellationToken cancellationToken)
    {
        var results = new List<StepSummary>();
        foreach (var step in steps)
        {
            if (cancellationToken.IsCancellationRequested || budget.Expired)
            {
                break;
            }
            results.Add(await RunAsync(scenario, step, operation, cancellationToken));
        }
        return results;
    }
}
