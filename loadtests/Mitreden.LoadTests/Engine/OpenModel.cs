namespace Mitreden.LoadTests.Engine;

/// <summary>
/// Open model without coordinated omission. A dedicated thread owns the schedule: request i is due at
/// <c>start + i / rate</c>, whatever earlier responses do. When due it is handed to the thread pool and NOT
/// awaited; its latency is measured from the intended send time, so time spent waiting behind a stalled server,
/// a full connection pool or a busy thread pool is part of the latency. If the driver falls behind it sends the
/// overdue requests at once (their latency includes the lateness) instead of stretching the schedule.
/// More than <c>maxInFlight</c> outstanding requests are not sent but counted as <c>client-saturated</c> errors.
/// </summary>
public static class OpenModel
{
    public static async Task<StepRecorder> RunAsync(LoadStep step, Operation operation, RunBudget budget, int maxInFlight,
        TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        if (step.Model != LoadModel.Open || step.Rate <= 0)
        {
            throw new ArgumentException("An open step needs a positive rate.", nameof(step));
        }
        var run = new Run(step, operation, budget, maxInFlight, cancellationToken);
        var scheduler = new Thread(run.Schedule) { IsBackground = true, Name = "open-model-scheduler" };
        scheduler.Start();
        await run.ScheduleDone.Task.ConfigureAwait(false);
        await Task.WhenAny(run.Drained.Task, Task.Delay(drainTimeout, CancellationToken.None)).ConfigureAwait(false);
        return run.Recorder;
    }

    private sealed class Run(LoadStep step, Operation operation, RunBudget budget, int maxInFlight, CancellationToken cancellationToken)
    {
        private long _inFlight;
        private int _scheduleFinished;

        public StepRecorder Recorder { get; } = new(step);
        public TaskCompletionSource ScheduleDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Schedule()
        {
            try
            {
                var total = step.PlannedRequests;
                var ticksPerRequest = Clock.TicksPerSecond / step.Rate;
                var start = Clock.Now;
                Recorder.StartTicks = start;
                for (long i = 0; i < total;)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }
                    var intended = start + (long)(i * ticksPerRequest);
                    var wait = intended - Clock.Now;
                    if (wait > 0)
                    {
                        // ~1 ms sleeps keep the scheduler off the CPU the servers need; everything due after the
                        // sleep is sent in one go and still measured from its own intended time.
                        var ms = Math.Clamp((int)(wait * 1000 / Clock.TicksPerSecond), 1, 50);
                        Thread.Sleep(ms);
                        continue;
                    }
                    if (!budget.TryTake())
                    {
                        Recorder.StoppedByBudget = true;
                        break;
                    }
                    Recorder.Issue();
                    if (Interlocked.Increment(ref _inFlight) > maxInFlight)
                    {
                        Interlocked.Decrement(ref _inFlight);
                        Recorder.AddError(ErrorKinds.ClientSaturated);
                    }
                    else
                    {
                        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Run.ExecuteAsync(s.Sequence, s.Intended),
                            new Pending(this, i, intended), preferLocal: false);
                    }
                    i++;
                }
                Recorder.EndTicks = Recorder.StoppedByBudget || cancellationToken.IsCancellationRequested
                    ? Clock.Now
                    : Math.Max(Clock.Now, start + (long)(total * ticksPerRequest));
            }
            finally
            {
                Volatile.Write(ref _scheduleFinished, 1);
                ScheduleDone.TrySetResult();
                if (Interlocked.Read(ref _inFlight) == 0)
                {
                    Drained.TrySetResult();
                }
            }
        }

        private async Task ExecuteAsync(long sequence, long intended)
        {
            Outcome outcome;
            try
            {
                outcome = await operation(sequence, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                outcome = Outcome.Failure(ErrorKinds.Of(e));
            }
            var done = Clock.Now;
            Recorder.Complete(outcome, Clock.Microseconds(done - intended), done);
            if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _scheduleFinished) == 1)
            {
                Drained.TrySetResult();
            }
        }
    }

    private sealed record Pending(Run Run, long Sequence, long Intended);
}
