namespace Mitreden.LoadTests.Engine;

/// <summary>
/// Closed model: N users, each sending its next request when the previous one returned. It finds the
/// throughput a system sustains at a given concurrency; its latencies are measured from the actual send and
/// therefore understate waiting under overload (coordinated omission), which is why rates and percentiles for
/// targets come from <see cref="OpenModel"/>.
/// </summary>
public static class ClosedModel
{
    public static async Task<StepRecorder> RunAsync(LoadStep step, Operation operation, RunBudget budget,
        CancellationToken cancellationToken)
    {
        if (step.Model != LoadModel.Closed || step.Users <= 0)
        {
            throw new ArgumentException("A closed step needs users.", nameof(step));
        }
        var recorder = new StepRecorder(step);
        var start = Clock.Now;
        var end = start + Clock.Ticks(step.Duration);
        recorder.StartTicks = start;
        long sequence = -1;
        var users = Enumerable.Range(0, step.Users).Select(_ => Task.Run(async () =>
        {
            while (Clock.Now < end && !cancellationToken.IsCancellationRequested)
            {
                if (!budget.TryTake())
                {
                    recorder.StoppedByBudget = true;
                    return;
                }
                recorder.Issue();
                var sent = Clock.Now;
                Outcome outcome;
                try
                {
                    outcome = await operation(Interlocked.Increment(ref sequence), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    outcome = Outcome.Failure(ErrorKinds.Of(e));
                }
                var done = Clock.Now;
                recorder.Complete(outcome, Clock.Microseconds(done - sent), done);
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(users).ConfigureAwait(false);
        recorder.EndTicks = Math.Min(Clock.Now, end);
        return recorder;
    }
}
