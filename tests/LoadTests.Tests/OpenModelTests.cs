using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Tests;

public class OpenModelTests
{
    private static Operation Get(HttpClient http) => async (_, ct) =>
    {
        using var response = await http.GetAsync("x", ct);
        return Outcome.FromStatus((int)response.StatusCode, 200);
    };

    [Fact]
    public async Task RunAsync_500PerSecondFor2Seconds_AchievesTargetRate()
    {
        await using var server = await TestServer.StartOkAsync();
        using var http = LoadHttp.Create(server.BaseUrl, TimeSpan.FromSeconds(5));
        await OpenModel.RunAsync(LoadStep.Open(200, 0.5), Get(http), RunBudget.Unlimited, 1000, TimeSpan.FromSeconds(5), default);

        var recorder = await OpenModel.RunAsync(LoadStep.Open(500, 2), Get(http), RunBudget.Unlimited, 1000,
            TimeSpan.FromSeconds(10), default);
        var summary = recorder.Summarize();

        summary.Issued.Should().Be(1000);
        summary.Ok.Should().Be(1000);
        summary.ErrorCount.Should().Be(0);
        summary.SentPerSecond.Should().BeInRange(500 * 0.95, 500 * 1.03);
        server.Requests.Should().Be(1000 + 100);
        // completions: on a busy machine (other builds, load average 20 on 2 cores) the last responses trail the schedule
        summary.OkPerSecond.Should().BeInRange(500 * 0.75, 500 * 1.03);
        Clock.Seconds(recorder.EndTicks - recorder.StartTicks).Should().BeInRange(1.95, 2.10);
    }

    [Fact]
    public async Task RunAsync_ServerStalls200MsOnce_LatenciesIncludeWaitFromIntendedSendTime()
    {
        // At request 250 (t ≈ 0.5 s) the server stops answering for 200 ms, as a GC pause or a full queue would.
        // About 100 requests are due during the stall; a tool that waits for responses before sending would record
        // one slow sample. Measured from the intended send time, half of them must show ≥ 100 ms.
        var stallUntil = 0L;
        await using var server = await TestServer.StartAsync(async context =>
        {
            var n = int.Parse(context.Request.Query["n"]!);
            if (n == 250)
            {
                Interlocked.CompareExchange(ref stallUntil, Clock.Now + Clock.Ticks(TimeSpan.FromMilliseconds(200)), 0);
            }
            var until = Volatile.Read(ref stallUntil);
            var wait = until - Clock.Now;
            if (until != 0 && wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(Clock.Seconds(wait)));
            }
            context.Response.StatusCode = 200;
        });
        using var http = LoadHttp.Create(server.BaseUrl, TimeSpan.FromSeconds(5));
        Operation op = async (i, ct) =>
        {
            using var response = await http.GetAsync($"x?n={i}", ct);
            return Outcome.FromStatus((int)response.StatusCode, 200);
        };
        await OpenModel.RunAsync(LoadStep.Open(200, 0.5), (i, ct) => op(-1 - i, ct), RunBudget.Unlimited, 1000, TimeSpan.FromSeconds(5), default);

        var recorder = await OpenModel.RunAsync(LoadStep.Open(500, 2), op, RunBudget.Unlimited, 1000, TimeSpan.FromSeconds(10), default);

        recorder.Ok.Should().Be(1000);
        var slow = recorder.Latency.CountAtOrAbove(100_000);
        // ≈ 50 on a quiet machine; a tool with coordinated omission sees 1. No upper bound: a busy machine adds slow
        // samples of its own (550 were seen while a benchmark ran beside the suite), which says nothing about the driver.
        slow.Should().BeGreaterThanOrEqualTo(35, "requests due in the first half of the 200 ms stall waited ≥ 100 ms");
        recorder.Latency.Max.Should().BeGreaterThanOrEqualTo(180_000);
        recorder.Latency.Percentile(99).Should().BeGreaterThanOrEqualTo(150_000);
        recorder.Latency.Percentile(50).Should().BeLessThan(60_000);
        Clock.Seconds(recorder.EndTicks - recorder.StartTicks).Should().BeLessThan(2.1, "the schedule does not wait for responses");
    }

    [Fact]
    public async Task RunAsync_MoreInFlightThanCap_CountsClientSaturatedErrors()
    {
        await using var server = await TestServer.StartAsync(async context =>
        {
            await Task.Delay(400);
            context.Response.StatusCode = 200;
        });
        using var http = LoadHttp.Create(server.BaseUrl, TimeSpan.FromSeconds(5));

        var summary = (await OpenModel.RunAsync(LoadStep.Open(100, 1), Get(http), RunBudget.Unlimited, 10,
            TimeSpan.FromSeconds(5), default)).Summarize();

        summary.Issued.Should().Be(100);
        summary.Errors.Should().ContainKey(ErrorKinds.ClientSaturated);
        summary.Errors[ErrorKinds.ClientSaturated].Should().BeGreaterThan(50);
        (summary.Ok + summary.ErrorCount).Should().Be(100);
        server.Requests.Should().Be((int)summary.Ok);
    }

    [Fact]
    public async Task RunAsync_RequestCap_StopsAtCap()
    {
        await using var server = await TestServer.StartOkAsync();
        using var http = LoadHttp.Create(server.BaseUrl, TimeSpan.FromSeconds(5));
        var budget = new RunBudget(120, TimeSpan.FromMinutes(1));

        var first = await OpenModel.RunAsync(LoadStep.Open(500, 0.2), Get(http), budget, 1000, TimeSpan.FromSeconds(5), default);
        var second = await OpenModel.RunAsync(LoadStep.Open(500, 1), Get(http), budget, 1000, TimeSpan.FromSeconds(5), default);

        first.Issued.Should().Be(100);
        second.Issued.Should().Be(20);
        second.StoppedByBudget.Should().BeTrue();
        server.Requests.Should().Be(120);
    }

    [Fact]
    public async Task RunAsync_TimeCap_StopsAtDeadline()
    {
        await using var server = await TestServer.StartOkAsync();
        using var http = LoadHttp.Create(server.BaseUrl, TimeSpan.FromSeconds(5));
        var budget = new RunBudget(long.MaxValue, TimeSpan.FromMilliseconds(300));

        var recorder = await OpenModel.RunAsync(LoadStep.Open(200, 5), Get(http), budget, 1000, TimeSpan.FromSeconds(5), default);

        recorder.StoppedByBudget.Should().BeTrue();
        recorder.Issued.Should().BeInRange(40, 80);
    }

    [Fact]
    public async Task RunAsync_ServerErrorsTimeoutsAndRefusals_CountedByKind()
    {
        // Each target yields its kind whatever the timing: "fast" answers 503 at once (far inside the 3 s client
        // timeout), "slow" never answers (only the client's timeout ends it), the third port refuses connections.
        await using var server = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/slow")
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            context.Response.StatusCode = 503;
        });
        using var http = LoadHttp.Create(server.BaseUrl, TimeSpan.FromSeconds(3));
        var refusedPort = new Uri($"http://127.0.0.1:{FreePort()}/");
        Operation op = async (i, ct) =>
        {
            var target = (i % 3) switch { 0 => new Uri(server.BaseUrl, "fast"), 1 => new Uri(server.BaseUrl, "slow"), _ => refusedPort };
            using var response = await http.GetAsync(target, ct);
            return Outcome.FromStatus((int)response.StatusCode, 200);
        };

        var summary = (await OpenModel.RunAsync(LoadStep.Open(60, 1), op, RunBudget.Unlimited, 1000, TimeSpan.FromSeconds(15), default)).Summarize();

        summary.Ok.Should().Be(0);
        summary.Errors.Should().ContainKey("http-503").WhoseValue.Should().Be(20);
        summary.Errors.Should().ContainKey(ErrorKinds.Timeout).WhoseValue.Should().Be(20);
        summary.Errors.Should().ContainKey(ErrorKinds.Connection).WhoseValue.Should().Be(20);
        summary.Samples.Should().Be(60, "failed requests keep their latency too");
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
