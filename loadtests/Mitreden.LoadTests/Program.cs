using Mitreden.LoadTests;
using Mitreden.LoadTests.Engine;
using Mitreden.LoadTests.Reporting;
using Mitreden.LoadTests.Scenarios;

LoadOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(LoadOptions.Usage);
        return 0;
    }
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

// Requests are handed to the pool by the open model's scheduler thread; a warm pool avoids the slow thread
// injection at the start of a burst (which would show up as latency of the driver, not of the system).
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var output = options.OutputFolder ?? Path.Combine(LoadRun.DefaultOutputRoot(), DateTime.Now.ToString("yyyyMMdd-HHmmss"));
var run = await LoadRun.ExecuteAsync(options, Console.Out, cancel.Token);
var report = MarkdownReport.Write(run, output);

Console.WriteLine();
Console.WriteLine(ConsoleTable.Render(run));
Console.WriteLine();
Console.WriteLine($"report: {report}");
Console.WriteLine($"chart:  {Path.Combine(output, "chart.svg")}");
var failed = run.Scenarios.SelectMany(s => s.Checks).Any(c => c.Passed == false);
if (run.SummaryLine is not null)
{
    Console.WriteLine(run.SummaryLine);
}
return failed ? 1 : 0;
