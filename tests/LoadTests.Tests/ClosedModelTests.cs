using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Tests;

public class ClosedModelTests
{
    [Fact]
    public async Task RunAsync_FourUsersAgainstTenMsServer_ThroughputMatchesConcurrency()
    {
        var concurrent = 0;
        var maxConcurrent = 0;
        await using var server = await TestServer.StartAsync(async context =>
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref maxConcurrent, now);
            await Task.Delay(10);
            Interlocked.Decrement(ref concurrent);
            context.Response.StatusCode = 200;
        });
        using var http = LoadHttp.Create(server.BaseUrl, TimeSpan.FromSeconds(5));
        Operation op = async (_, ct) =>
        {
            using var response = await http.GetAsync("x", ct);
            return Outcome.FromStatus((int)response.StatusCode, 200);
        };

        await ClosedModel.RunAsync(LoadStep.Closed(4, 0.3), op, RunBudget.Unlimited, default);   // connections, JIT
        maxConcurrent = 0;

        var summary = (await ClosedModel.RunAsync(LoadStep.Closed(4, 1), op, RunBudget.Unlimited, default)).Summarize();

        maxConcurrent.Should().BeLessThanOrEqualTo(4);
        summary.ErrorCount.Should().Be(0);
        // 4 users × at most one request per 10 ms: never above 400/s; ≈ 300/s on a quiet machine, less on a busy one
        summary.OkPerSecond.Should().BeInRange(50, 410);
        summary.P50Ms.Should().BeGreaterThanOrEqualTo(9);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
