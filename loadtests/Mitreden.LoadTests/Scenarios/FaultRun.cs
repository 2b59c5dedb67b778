using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Scenarios;

/// <summary>
/// A command the driver runs during the vote load: <c>--fault-action S=COMMAND</c> at S seconds into the load,
/// <c>--fault-action +S=COMMAND</c> S seconds after the action before it returned (<see cref="AfterPrevious"/>).
/// Either way an action never starts before the one before it has returned: a step that checks or undoes what the
/// step before did must not overtake it on a slow machine.
/// </summary>
public sealed record FaultAction(double AtSeconds, string Command, bool AfterPrevious = false)
{
    public static FaultAction Parse(string text)
    {
        var eq = text.IndexOf('=');
        var relative = text.StartsWith('+');
        var seconds = eq > 0 ? text[(relative ? 1 : 0)..eq] : "";
        if (eq <= 0 || !double.TryParse(seconds, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var at)
            || string.IsNullOrWhiteSpace(text[(eq + 1)..]))
        {
            throw new FormatException($"Fault action '{text}' is not SECONDS=COMMAND or +SECONDS=COMMAND.");
        }
        return new FaultAction(at, text[(eq + 1)..], relative);
    }

    public string When => AfterPrevious
        ? string.Create(CultureInfo.InvariantCulture, $"{AtSeconds:0.#} s after the previous action")
        : string.Create(CultureInfo.InvariantCulture, $"at +{AtSeconds:0.#} s");
}

/// <summary>
/// One fault during a vote burst: runs the actions (the first one injects the fault, later ones are what a
/// supervisor does, e.g. restart a node) through <c>/bin/bash -c</c> one after another, each at its time
/// (<see cref="FaultAction"/>) but never before the one before it returned,
/// notes when vote requests failed and when sampled votes were counted, and computes the recovery time: from the
/// start of the first action until a vote accepted after the first action returned and after the last failed
/// request is counted. So a consumer that is down counts until its backlog is worked off, an API instance that is
/// down counts until clients stop seeing errors. It also counts the accepted votes, so that a fault the vote path must
/// not notice at all (<c>--fault-seamless</c>, e.g. a signing-key rollover) can be judged by the votes sent after each
/// of its actions returned and accepted (<see cref="AcceptedAfter"/>) instead of by a recovery.
/// </summary>
public sealed class FaultRun(IReadOnlyList<FaultAction> actions, TextWriter progress,
    IReadOnlyDictionary<string, Func<CancellationToken, Task>>? driverActions = null)
{
    /// <summary>Actions the driver itself performs (e.g. <c>@close-ballot</c>), named with a leading @.</summary>
    public const char DriverActionPrefix = '@';

    public sealed record ActionResult(FaultAction Action, long StartedAt, long EndedAt, int ExitCode);

    private readonly ConcurrentQueue<long> _errors = new();
    private readonly ConcurrentQueue<(long Accepted, long Counted)> _counted = new();
    private readonly ConcurrentQueue<ActionResult> _results = new();
    private readonly ConcurrentQueue<long> _acceptedSent = new();
    private Task? _running;

    public bool Started => _running is not null;
    public IReadOnlyList<ActionResult> Results => _results.OrderBy(r => r.StartedAt).ToList();
    public int Errors => _errors.Count;

    public void NoteError(long at) => _errors.Enqueue(at);

    /// <summary>A vote sent at <paramref name="sentAt"/> got its 202.</summary>
    public void NoteAccepted(long sentAt) => _acceptedSent.Enqueue(sentAt);

    /// <summary>
    /// Accepted votes sent after <paramref name="result"/>'s action returned: requests that met the system as the action
    /// left it (a request sent before and answered after does not count).
    /// </summary>
    public int AcceptedAfter(ActionResult result) => _acceptedSent.Count(sent => sent >= result.EndedAt);

    public void NoteCounted(long acceptedAt, long countedAt) => _counted.Enqueue((acceptedAt, countedAt));

    /// <summary>Starts the actions relative to <paramref name="loadStart"/> (they run even past the load's end).</summary>
    public void Start(long loadStart, CancellationToken ct) =>
        _running = Task.Run(async () =>
        {
            var previousEnded = loadStart;
            foreach (var action in actions)
            {
                var due = (action.AfterPrevious ? previousEnded : loadStart) + Clock.Ticks(TimeSpan.FromSeconds(action.AtSeconds));
                previousEnded = await RunAsync(action, loadStart, Math.Max(due, previousEnded), ct);
            }
        }, CancellationToken.None);

    /// <summary>Waits for every action to end (false when <paramref name="limit"/> passed first).</summary>
    public async Task<bool> WaitAsync(TimeSpan limit)
    {
        if (_running is null)
        {
            return true;
        }
        return await Task.WhenAny(_running, Task.Delay(limit)) == _running;
    }

    /// <summary>Runs one action at <paramref name="due"/>; returns when it ended.</summary>
    private async Task<long> RunAsync(FaultAction action, long loadStart, long due, CancellationToken ct)
    {
        var wait = Clock.Seconds(due - Clock.Now);
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(wait), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        var started = Clock.Now;
        progress.WriteLine($"  fault      +{Clock.Seconds(started - loadStart):0.0} s ({action.When}): {action.Command}");
        var exit = action.Command.StartsWith(DriverActionPrefix)
            ? await RunDriverActionAsync(action.Command.Trim(), ct)
            : await RunCommandAsync(action.Command);
        var ended = Clock.Now;
        progress.WriteLine($"  fault      +{Clock.Seconds(ended - loadStart):0.0} s done: exit {exit} after {Clock.Seconds(ended - started):0.0} s: {action.Command}");
        _results.Enqueue(new ActionResult(action, started, ended, exit));
        return ended;
    }

    private async Task<int> RunCommandAsync(string command)
    {
        try
        {
            var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(command);
            using var process = Process.Start(info)!;
            var output = Pipe(process.StandardOutput);
            var errors = Pipe(process.StandardError);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(output, errors);
            return process.ExitCode;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            progress.WriteLine($"  fault      could not run: {e.Message}");
            return -1;
        }
    }

    private async Task<int> RunDriverActionAsync(string name, CancellationToken ct)
    {
        if (driverActions?.GetValueOrDefault(name) is not { } run)
        {
            progress.WriteLine($"  fault      unknown driver action {name} (known: {string.Join(", ", driverActions?.Keys ?? [])})");
            return 2;
        }
        try
        {
            await run(ct);
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or OperationCanceledException)
        {
            progress.WriteLine($"  fault      | {name} failed: {e.Message}");
            return 1;
        }
    }

    private async Task Pipe(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            progress.WriteLine($"  fault      | {line}");
        }
    }

    /// <summary>First and last failed request in seconds relative to the fault (null without failures).</summary>
    public (double First, double Last)? ErrorWindow()
    {
        var results = Results;
        if (results.Count == 0 || _errors.IsEmpty)
        {
            return null;
        }
        var injected = results[0].StartedAt;
        return (Clock.Seconds(_errors.Min() - injected), Clock.Seconds(_errors.Max() - injected));
    }

    /// <summary>Seconds from the fault until the vote path was whole again (null: it never was while we looked).</summary>
    public double? RecoverySeconds()
    {
        var results = Results;
        return results.Count == 0 ? null : Recovery(results[0].StartedAt, results[0].EndedAt, _errors, _counted);
    }

    /// <summary>
    /// From <paramref name="injectedAt"/> until the counting of the first sampled vote that was accepted after both
    /// the injecting action returned and the last failed request.
    /// </summary>
    public static double? Recovery(long injectedAt, long injectedReturnedAt, IEnumerable<long> errors, IEnumerable<(long Accepted, long Counted)> counted)
    {
        var settled = Math.Max(injectedReturnedAt, errors.Where(e => e >= injectedAt).DefaultIfEmpty(injectedReturnedAt).Max());
        var after = counted.Where(c => c.Accepted >= settled).OrderBy(c => c.Accepted).ToList();
        return after.Count == 0 ? null : Clock.Seconds(after[0].Counted - injectedAt);
    }
}
