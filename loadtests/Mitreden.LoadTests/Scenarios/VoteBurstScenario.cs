using System.Collections.Concurrent;
using System.Globalization;
using Mitreden.LoadTests.Api;
using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Reporting;

namespace Mitreden.LoadTests.Scenarios;

/// <summary>
/// Scenario 1: many voters cast approval votes on one ballot through the gateway, 10 % of them change their vote.
/// Afterwards the driver waits for the pipeline (quorum queue → batch consumer → PostgreSQL) to drain and checks
/// that every accepted vote is counted exactly once: counted voters = distinct voters with a 202, the per-option
/// tally = the choices of each voter's last 202, the live tally = a recount, and the final count at close agrees.
/// </summary>
public sealed class VoteBurstScenario : IScenario
{
    public string Name => "vote-burst";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken ct)
    {
        var o = context.Options;
        var progress = context.Progress;
        var result = new ScenarioResult(Name, "Vote burst (approval votes through the gateway, 10 % change their vote)");
        using var api = new MitredenApi(o.BaseUrl, o.AdminEmail, o.AdminPassword);
        var plan = o.PlanFor(Name);

        var ballot = await api.CreateOpenApprovalBallotAsync($"Lasttest {DateTime.Now:yyyy-MM-dd HH:mm:ss}", o.Options, ct);
        await api.WaitUntilOpenEverywhereAsync(ballot.Id, ct);
        progress.WriteLine($"  ballot     {ballot.Id} ({ballot.Options.Count} options, approval, live results)");
        var needed = VotersNeeded(plan, o);
        var (testVoters, created) = await TestVoterFile.LoadOrCreateAsync(o.VotersFile, needed, o.District,
            () => api.CreateTestVotersAsync(needed, o.District, progress, ct));
        var voters = new Voters(context.Http, ballot.Id, ballot.Options.Select(x => x.OptionId).ToList(), testVoters);
        if (created)
        {
            result.Notes.Add(await Settle.WaitAsync(o.SettleFallbackSeconds, TimeSpan.FromSeconds(300), progress, ct));
        }
        else
        {
            progress.WriteLine($"  voters     {testVoters.Count:#,0} test voters reused from {o.VotersFile}");
            result.Notes.Add($"{testVoters.Count:#,0} test voters reused from {o.VotersFile} (created by an earlier run)");
        }

        var lag = new LagProbe(api, ballot.Id);
        if (o.LagSample > 0)
        {
            voters.SampleEvery = Math.Max(1, (int)Math.Round(1 / o.LagSample));
            voters.OnSampledAcceptance = lag.Start;
        }
        var share = o.RevoteShare;
        Operation vote = (sequence, token) => voters.CastAsync(IsChangeSlot(sequence, share), token);
        // @close-ballot: staff closes the ballot while votes may still wait in the queue; the request is only started
        // here (the close waits for the drain), so that the next action can hit the close while it runs.
        Task<MitredenApi.BallotView>? faultClose = null;
        var driverActions = new Dictionary<string, Func<CancellationToken, Task>>
        {
            ["@close-ballot"] = token =>
            {
                faultClose = api.CloseAsync(ballot.Id, token);
                return Task.CompletedTask;
            },
            // @renew-tokens: every voter (and staff) takes a new token, e.g. once a new signing key signs; votes go on
            // meanwhile, each with its voter's token of the moment. The voters file gets the new tokens: a later run on
            // this stack reuses the voters, and the key that signed their old tokens may be gone by then.
            ["@renew-tokens"] = async token =>
            {
                var started = Clock.Now;
                var renewedAt = DateTimeOffset.UtcNow;
                var renewed = new string[testVoters.Count];
                api.ForgetStaffToken();
                await api.RenewTokensAsync(testVoters, (voter, accessToken) =>
                {
                    voters.ReplaceToken(voter, accessToken);
                    renewed[voter] = accessToken;
                }, token);
                progress.WriteLine($"  fault      renewed the tokens of {testVoters.Count:#,0} voters in {Clock.Seconds(Clock.Now - started):0.0} s");
                if (o.VotersFile is { } path)
                {
                    TestVoterFile.Save(path, testVoters.Select((v, i) => v with { AccessToken = renewed[i] }).ToList(), o.District, renewedAt);
                }
            },
        };
        var fault = o.FaultActions.Count > 0 ? new FaultRun(o.FaultActions, progress, driverActions) : null;
        if (fault is not null)
        {
            vote = WithOutcomesNoted(vote, fault);
            lag.OnCounted = fault.NoteCounted;
        }
        foreach (var step in plan)
        {
            lag.BeginStep(step.Label);
            if (fault is { Started: false } && !step.Warmup)
            {
                fault.Start(Clock.Now, ct);
            }
            result.Steps.Add(await context.Runner.RunAsync(Name, step, vote, ct));
        }
        var loadEnd = Clock.Now;
        if (fault is not null && !await fault.WaitAsync(TimeSpan.FromSeconds(300)))
        {
            progress.WriteLine("  fault      actions still running 300 s after the load; verifying anyway");
        }

        await VerifyAsync(api, voters, lag, loadEnd, result, o, progress, faultClose, ct);
        if (fault is not null)
        {
            AddFaultChecks(fault, o, result);
        }
        result.Description =
            $"Ballot `{ballot.Id}` ({ballot.Options.Count} options), {voters.Count:#,0} test voters from Identity " +
            $"(district {o.District}). Every {(share > 0 ? Math.Round(1 / share) : 0):0}th request is a change of an accepted vote. " +
            "Success = 202 Accepted. End-to-end lag: for every " +
            $"{voters.SampleEvery}th first vote the driver polls the anonymous receipt endpoint every {LagProbe.PollMs} ms " +
            "from the 202 until it says counted, so lags carry up to that much polling granularity; the drain time is " +
            "measured from the end of the last step until the staff results show every accepted voter.";
        return result;
    }

    /// <summary>True for an even spread of <paramref name="share"/> of all sequence numbers (0.1: every 10th).</summary>
    public static bool IsChangeSlot(long sequence, double share) =>
        share > 0 && (long)((sequence + 1) * share) > (long)(sequence * share);

    /// <summary>First votes the plan needs, plus a guess for the closed step (~20 votes/s per user, ~1,300/s at 64);
    /// a shortfall is not fatal: then already accepted voters change their vote again (reported).</summary>
    public static int VotersNeeded(IEnumerable<LoadStep> plan, LoadOptions o)
    {
        if (o.Voters > 0)
        {
            return o.Voters;
        }
        double total = 0;
        foreach (var step in plan)
        {
            total += step.Model == LoadModel.Open
                ? step.PlannedRequests * (1 - o.RevoteShare)
                : step.Users * step.Duration.TotalSeconds * 20;
        }
        return (int)Math.Min(Math.Ceiling(total * 1.02) + 100, o.MaxRequests);
    }

    private static async Task VerifyAsync(MitredenApi api, Voters voters, LagProbe lag, long loadEnd, ScenarioResult result,
        LoadOptions o, TextWriter progress, Task<MitredenApi.BallotView>? faultClose, CancellationToken ct)
    {
        var expected = voters.Expect();
        progress.WriteLine($"  drain      waiting for {expected.DistinctVoters:#,0} accepted voters to be counted ...");
        MitredenApi.ResultsView? counted = null;
        double? drainMs = null;
        var lastChange = Clock.Now;
        long lastVoters = -1;
        while (Clock.Seconds(Clock.Now - loadEnd) < o.DrainTimeoutSeconds)
        {
            counted = await api.ResultsAsync(voters.BallotId, ct);
            // With unanswered requests the tally cannot be predicted exactly: then all accepted voters counted is enough.
            if (counted.Voters >= expected.DistinctVoters
                && (expected.UncertainAccepted > 0 || expected.UncertainOnly > 0 || SameTally(expected, counted)))
            {
                drainMs = Clock.Seconds(Clock.Now - loadEnd) * 1000;
                break;
            }
            if (counted.Voters != lastVoters)
            {
                lastVoters = counted.Voters;
                lastChange = Clock.Now;
            }
            else if (Clock.Seconds(Clock.Now - lastChange) > Math.Min(30, o.DrainTimeoutSeconds / 4))
            {
                break;   // nothing moved for a while: report what is there
            }
            await Task.Delay(200, ct);
        }
        await lag.StopAsync(drainMs is null ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10));
        counted ??= await api.ResultsAsync(voters.BallotId, ct);
        // A drained pipeline may still settle a vote or two that arrived after our last read: read once more.
        await Task.Delay(1000, ct);
        counted = await api.ResultsAsync(voters.BallotId, ct);

        var lost = Math.Max(0, expected.DistinctVoters - counted.Voters);
        var duplicated = Math.Max(0, counted.Voters - expected.DistinctVoters - expected.UncertainOnly);
        var optionDiff = expected.PerOption.Keys.Union(counted.Options.Select(x => x.OptionId))
            .Sum(id => Math.Abs(expected.PerOption.GetValueOrDefault(id) - (counted.Options.FirstOrDefault(x => x.OptionId == id)?.OnlineVotes ?? 0)));

        var checks = result.Checks;
        checks.Add(("202 responses", $"{expected.Accepted:#,0} ({voters.FirstVotes:#,0} first votes + {voters.Changes:#,0} changes" +
                                     (voters.ExtraChanges > 0 ? $", of which {voters.ExtraChanges:#,0} after the voter pool ran out" : "") + ")", null));
        checks.Add(("distinct accepted voters", $"{expected.DistinctVoters:#,0}", null));
        // Voters whose only request got no clear answer (timeout, 5xx) may be counted: their vote can have reached
        // the queue before the answer was lost. Beyond those, a surplus is a duplicate.
        var unanswered = counted.Voters - expected.DistinctVoters;
        checks.Add(("counted voters (staff results)",
            unanswered > 0 && unanswered <= expected.UncertainOnly
                ? $"{counted.Voters:#,0} (incl. {unanswered:#,0} whose request got no clear answer)"
                : $"{counted.Voters:#,0}",
            counted.Voters >= expected.DistinctVoters && unanswered <= expected.UncertainOnly));
        checks.Add(("lost", lost.ToString(CultureInfo.InvariantCulture), lost == 0));
        checks.Add(("duplicated", duplicated.ToString(CultureInfo.InvariantCulture), duplicated == 0));
        if (expected.UncertainAccepted + expected.UncertainOnly > 0)
        {
            checks.Add(("uncertain outcomes (timeouts, 5xx)",
                $"{expected.UncertainOnly:#,0} voters without a 202, {expected.UncertainAccepted:#,0} with a later unanswered change", null));
        }
        // Not judged when a voter's last answer was unclear, or when voters whose only request went unanswered were counted.
        var judged = expected.UncertainAccepted == 0 && (expected.UncertainOnly == 0 || counted.Voters == expected.DistinctVoters);
        checks.Add(("per-option tally = choices of each voter's last 202",
            judged ? $"{optionDiff} differences" : $"{optionDiff} differences (not judged: uncertain outcomes)",
            judged ? optionDiff == 0 : null));
        checks.Add(("drain (end of load → all counted)", drainMs is { } d ? $"{d:0} ms" : "did not drain", drainMs is not null));

        var recount = await api.RecountAsync(voters.BallotId, ct);
        checks.Add(("live tally = recount", recount.Matches ? "matches" : $"differs: {recount.Differences}", recount.Matches));
        checks.Add(("recount votes", $"{recount.Votes:#,0}", recount.Votes == counted.Voters));

        var closed = faultClose is null ? await api.CloseAsync(voters.BallotId, ct) : await ClosedAsync(api, voters.BallotId, faultClose, ct);
        checks.Add(("final votes at close", closed.FinalVotes is { } f ? $"{f:#,0} ({closed.State})" : $"not yet ({closed.State})",
            closed.FinalVotes is null ? null : closed.FinalVotes == counted.Voters));

        var h = lag.Latency;
        checks.Add(("lag samples", $"{h.Count:#,0} (timeouts {lag.TimedOut})", null));
        checks.Add(("lag p50 ms", Ms(h.Percentile(50)), null));
        checks.Add(("lag p90 ms", Ms(h.Percentile(90)), null));
        checks.Add(("lag p99 ms", Ms(h.Percentile(99)), null));
        checks.Add(("lag max ms", Ms(h.Max), null));
        result.Notes.Add("end-to-end lag by the step the vote was accepted in (near saturation the receipt polls " +
                         "themselves wait behind the load, which inflates these): " +
                         string.Join("; ", lag.ByStep.Select(s => $"{s.Key} n={s.Value.Count} p50 {Ms(s.Value.Percentile(50))} ms " +
                                                                  $"p99 {Ms(s.Value.Percentile(99))} ms")));
    }

    /// <summary>The ballot a fault action closed, once the close has finished (or as it is after two minutes).</summary>
    private static async Task<MitredenApi.BallotView> ClosedAsync(MitredenApi api, Guid ballotId, Task<MitredenApi.BallotView> close,
        CancellationToken ct)
    {
        MitredenApi.BallotView? view = null;
        try
        {
            view = await close;   // 200 when closed within Voting's wait, 202 while still closing
        }
        catch (InvalidOperationException)
        {
            // answered with an error status: read the ballot instead
        }
        for (var waited = 0; view?.State != "closed" && waited < 120; waited++)
        {
            await Task.Delay(1000, ct);
            view = await api.BallotAsync(ballotId, ct);
        }
        return view ?? await api.BallotAsync(ballotId, ct);
    }

    /// <summary>
    /// Every failed vote request is noted with its time (the recovery waits for the last one), every accepted one with
    /// the time it was sent (a seamless fault needs votes sent after each action and accepted).
    /// </summary>
    private static Operation WithOutcomesNoted(Operation vote, FaultRun fault) => async (sequence, token) =>
    {
        var sent = Clock.Now;
        try
        {
            var outcome = await vote(sequence, token);
            if (outcome.Ok)
            {
                fault.NoteAccepted(sent);
            }
            else
            {
                fault.NoteError(Clock.Now);
            }
            return outcome;
        }
        catch
        {
            fault.NoteError(Clock.Now);
            throw;
        }
    };

    private static void AddFaultChecks(FaultRun fault, LoadOptions o, ScenarioResult result)
    {
        var results = fault.Results;
        foreach (var action in o.FaultActions)
        {
            var done = results.FirstOrDefault(r => r.Action == action);
            result.Checks.Add(($"fault action {action.When}: {action.Command}",
                done is null ? "did not finish" : $"exit {done.ExitCode} after {Clock.Seconds(done.EndedAt - done.StartedAt):0.0} s",
                done is { ExitCode: 0 }));
        }
        var window = fault.ErrorWindow() is { } w
            ? string.Create(CultureInfo.InvariantCulture, $" (first {w.First:+0.0;-0.0} s, last {w.Last:+0.0;-0.0} s from the fault)")
            : "";
        result.Checks.Add(("failed vote requests (no 202)", fault.Errors.ToString(CultureInfo.InvariantCulture) + window,
            o.FaultSeamless ? fault.Errors == 0 : null));
        // Every voter's token is valid throughout, whatever the fault: a 401 means a component refused a valid token
        // (e.g. one signed by a key it had not learned yet).
        var unauthorized = result.Steps.Sum(step => step.Errors.GetValueOrDefault(ErrorKinds.Http(401)));
        result.Checks.Add(("vote requests answered 401", unauthorized.ToString(CultureInfo.InvariantCulture), unauthorized == 0));
        var recovery = fault.RecoverySeconds();
        // A seamless fault has nothing to recover from: the recovery time is reported (it needs a sampled first vote
        // accepted after the inject returned), but what counts is that votes went on being accepted after every step.
        result.Checks.Add(("recovery s", recovery is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "not recovered",
            o.FaultSeamless ? null : recovery is not null));
        if (o.FaultSeamless)
        {
            for (var i = 0; i < o.FaultActions.Count; i++)
            {
                var done = results.FirstOrDefault(r => r.Action == o.FaultActions[i]);
                var after = done is null ? 0 : fault.AcceptedAfter(done);
                result.Checks.Add(($"votes sent after action {i + 1} returned ({o.FaultActions[i].Command}), accepted",
                    after.ToString(CultureInfo.InvariantCulture), after > 0));
            }
        }
    }

    private static bool SameTally(Voters.Expectation expected, MitredenApi.ResultsView counted) =>
        counted.Options.All(x => expected.PerOption.GetValueOrDefault(x.OptionId) == x.OnlineVotes);

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Polls the receipt of sampled votes until it is counted; records accept → counted.</summary>
    private sealed class LagProbe(MitredenApi api, Guid ballotId)
    {
        public const int PollMs = 20;
        private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);
        private readonly ConcurrentBag<Task> _probes = [];
        private readonly CancellationTokenSource _stop = new();
        private int _timedOut;

        public LatencyHistogram Latency { get; } = new();
        public List<KeyValuePair<string, LatencyHistogram>> ByStep { get; } = [];

        /// <summary>Called with (accepted, counted) timestamps of every sampled vote that was counted.</summary>
        public Action<long, long>? OnCounted { get; set; }
        public int TimedOut => Volatile.Read(ref _timedOut);

        /// <summary>Votes accepted from now on are also grouped under <paramref name="label"/>.</summary>
        public void BeginStep(string label)
        {
            lock (ByStep)
            {
                ByStep.Add(new(label, new LatencyHistogram()));
            }
        }

        public void Start(string receiptHash, long acceptedAt)
        {
            LatencyHistogram step;
            lock (ByStep)
            {
                step = ByStep.Count > 0 ? ByStep[^1].Value : Latency;
            }
            _probes.Add(Task.Run(() => ProbeAsync(receiptHash, acceptedAt, step)));
        }

        private async Task ProbeAsync(string hash, long acceptedAt, LatencyHistogram step)
        {
            try
            {
                while (Clock.Seconds(Clock.Now - acceptedAt) < GiveUp.TotalSeconds)
                {
                    var status = await api.ReceiptStatusAsync(ballotId, hash, _stop.Token);
                    if (status is "counted" or "superseded")
                    {
                        var countedAt = Clock.Now;
                        OnCounted?.Invoke(acceptedAt, countedAt);
                        var lag = Clock.Microseconds(countedAt - acceptedAt);
                        Latency.Record(lag);
                        if (step != Latency)
                        {
                            step.Record(lag);
                        }
                        return;
                    }
                    await Task.Delay(PollMs, _stop.Token);
                }
                Interlocked.Increment(ref _timedOut);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
            {
                Interlocked.Increment(ref _timedOut);
            }
        }

        /// <summary>Lets running probes finish for up to <paramref name="grace"/>, then cancels the rest (counted as timeouts).</summary>
        public async Task StopAsync(TimeSpan grace)
        {
            await Task.WhenAny(Task.WhenAll(_probes), Task.Delay(grace));
            await _stop.CancelAsync();
            try
            {
                await Task.WhenAll(_probes);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
