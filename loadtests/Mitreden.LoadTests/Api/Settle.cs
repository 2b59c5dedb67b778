using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Api;

/// <summary>
/// Creating thousands of test voters makes Identity publish two events per voter through its outbox, which other
/// services consume for a while. Measuring votes during that would measure the event storm too, so the driver
/// waits for the broker to go quiet: with <c>MITREDEN_BENCH_RABBIT_MGMT</c> (http://user:pass@127.0.0.1:port of
/// the RabbitMQ management API, set by ./mitreden bench) until nothing is queued and nothing published for 3 s;
/// without it for a fixed time.
/// </summary>
public static class Settle
{
    public const string ManagementVariable = "MITREDEN_BENCH_RABBIT_MGMT";

    public static async Task<string> WaitAsync(double fallbackSeconds, TimeSpan limit, TextWriter progress, CancellationToken ct)
    {
        var started = Clock.Now;
        var url = Environment.GetEnvironmentVariable(ManagementVariable);
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !LoopbackGuard.IsLoopback(uri))
        {
            await Task.Delay(TimeSpan.FromSeconds(fallbackSeconds), ct);
            return $"waited a fixed {fallbackSeconds:0} s for the test voters' events to settle (no {ManagementVariable})";
        }
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"),
            Timeout = TimeSpan.FromSeconds(5),
        };
        if (uri.UserInfo.Length > 0)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        }
        var quiet = 0;
        var polls = 0;
        var failures = 0;
        long queued = -1;
        while (Clock.Seconds(Clock.Now - started) < limit.TotalSeconds)
        {
            try
            {
                using var json = JsonDocument.Parse(await http.GetStringAsync("api/overview", ct));
                var root = json.RootElement;
                queued = root.TryGetProperty("queue_totals", out var totals) && totals.TryGetProperty("messages", out var m) ? m.GetInt64() : 0;
                var publishRate = root.TryGetProperty("message_stats", out var stats)
                                  && stats.TryGetProperty("publish_details", out var details) && details.TryGetProperty("rate", out var rate)
                    ? rate.GetDouble()
                    : 0;
                quiet = queued == 0 && publishRate < 1 ? quiet + 1 : 0;
                if (++polls % 10 == 1)
                {
                    progress.WriteLine($"  settle     {queued:#,0} messages queued, {publishRate:0} published/s");
                }
                if (quiet >= 3)
                {
                    break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                progress.WriteLine($"  settle     management API: {e.Message}");
                if (++failures >= 5)
                {
                    await Task.Delay(TimeSpan.FromSeconds(fallbackSeconds), ct);
                    return $"RabbitMQ management API unusable ({e.Message}); waited a fixed {fallbackSeconds:0} s instead";
                }
                await Task.Delay(1000, ct);
                continue;
            }
            failures = 0;
            await Task.Delay(1000, ct);
        }
        var seconds = Clock.Seconds(Clock.Now - started);
        return quiet >= 3
            ? $"waited {seconds:0} s until RabbitMQ was quiet after creating test voters"
            : $"RabbitMQ not quiet after {seconds:0} s ({queued} messages queued); measured anyway";
    }
}
