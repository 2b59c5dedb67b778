using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;

namespace Mitreden.TestKit;

/// <summary>
/// The running stack's RabbitMQ seen from outside, through the management API: a tap (a queue of the test's own, bound to an
/// event's exchange) that copies what the services publish, a second delivery of a copied message — the same envelope, so
/// the same message id, as a broker redelivers it; or a new id, as an outbox that published twice — and the counters of a
/// service's queue, to know that it has taken those copies.
/// </summary>
public sealed class StackBroker : IAsyncDisposable
{
    private static readonly HttpClient Management = CreateManagementClient();
    private readonly string _tap;

    private StackBroker(string exchange, string tap)
    {
        Exchange = exchange;
        _tap = tap;
    }

    /// <summary>The stack's virtual host (where the services' exchanges and queues live).</summary>
    public static string VirtualHost => TestEnvironment.StackVirtualHost;

    public string Exchange { get; }

    /// <summary>Starts copying what is published to <paramref name="exchange"/> (MassTransit's name: "Namespace:Type").</summary>
    public static async Task<StackBroker> TapAsync(string exchange)
    {
        var tap = $"test-tap-{Guid.NewGuid():N}";
        var vhost = Uri.EscapeDataString(VirtualHost);
        (await Management.PutAsJsonAsync($"api/queues/{vhost}/{tap}", new { durable = false, auto_delete = false })).EnsureSuccessStatusCode();
        (await Management.PostAsJsonAsync($"api/bindings/{vhost}/e/{Uri.EscapeDataString(exchange)}/q/{tap}", new { routing_key = "" }))
            .EnsureSuccessStatusCode();
        return new StackBroker(exchange, tap);
    }

    /// <summary>The first copied message whose MassTransit body matches; others taken on the way are dropped.</summary>
    public async Task<TappedMessage> TakeAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        TappedMessage? found = null;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await Management.PostAsJsonAsync($"api/queues/{Uri.EscapeDataString(VirtualHost)}/{_tap}/get",
                new { count = 100, ackmode = "ack_requeue_false", encoding = "auto" });
            response.EnsureSuccessStatusCode();
            foreach (var got in (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
            {
                var payload = got.GetProperty("payload").GetString()!;
                using var envelope = JsonDocument.Parse(payload);
                if (found is null && envelope.RootElement.TryGetProperty("message", out var body) && match(body))
                {
                    found = new TappedMessage(payload, JsonNode.Parse(got.GetProperty("properties").GetRawText())!.AsObject());
                }
            }
            return found is not null;
        }, timeout, $"nothing matching came through {Exchange}");
        return found!;
    }

    /// <summary>Publishes the copy to the exchange again: as it was (<paramref name="newMessageId"/> false) or under a new id.</summary>
    public async Task PublishAgainAsync(TappedMessage message, bool newMessageId)
    {
        var properties = message.Properties.DeepClone().AsObject();
        var payload = message.Payload;
        if (newMessageId)
        {
            var id = Guid.NewGuid().ToString();
            var envelope = JsonNode.Parse(payload)!.AsObject();
            envelope["messageId"] = id;
            payload = envelope.ToJsonString();
            properties["message_id"] = id;
        }
        using var response = await Management.PostAsJsonAsync(
            $"api/exchanges/{Uri.EscapeDataString(VirtualHost)}/{Uri.EscapeDataString(Exchange)}/publish",
            new { properties, routing_key = "", payload, payload_encoding = "string" });
        response.EnsureSuccessStatusCode();
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("routed").GetBoolean()
            .Should().BeTrue($"{Exchange} routes to the services' queues");
    }

    /// <summary>
    /// A service queue's counters once they have settled: nothing waiting or unacknowledged, and the same figures in two
    /// readings more than the management API's sampling interval (5 s) apart, so they are not an old sample.
    /// </summary>
    public static async Task<QueueCounters> SettledCountersAsync(string queue, TimeSpan timeout)
    {
        QueueCounters? last = null;
        var lastAt = DateTimeOffset.MinValue;
        QueueCounters? settled = null;
        await Eventually.TrueAsync(async () =>
        {
            var now = await CountersAsync(queue);
            if (now.Waiting != 0 || now != last)
            {
                (last, lastAt) = (now, DateTimeOffset.UtcNow);
                return false;
            }
            if (DateTimeOffset.UtcNow - lastAt < TimeSpan.FromSeconds(5.5))
            {
                return false;
            }
            settled = now;
            return true;
        }, timeout, $"queue {queue} did not settle");
        return settled!;
    }

    /// <summary>Waits until the queue's consumer has acknowledged <paramref name="more"/> messages beyond <paramref name="before"/>.</summary>
    public static Task TakenAsync(string queue, QueueCounters before, int more, TimeSpan timeout) =>
        Eventually.TrueAsync(async () =>
        {
            var now = await CountersAsync(queue);
            return now.Acknowledged >= before.Acknowledged + more && now.Waiting == 0;
        }, timeout, $"queue {queue} did not take {more} more messages");

    private static async Task<QueueCounters> CountersAsync(string queue)
    {
        var info = await Management.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(VirtualHost)}/{Uri.EscapeDataString(queue)}");
        long Stat(string name) =>
            info.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty(name, out var value) ? value.GetInt64() : 0;
        return new QueueCounters(info.TryGetProperty("messages", out var messages) ? messages.GetInt64() : 0, Stat("ack"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Management.DeleteAsync($"api/queues/{Uri.EscapeDataString(VirtualHost)}/{_tap}");
        }
        catch (HttpRequestException)
        {
            // The broker may already be gone at the end of the run; the queue dies with it.
        }
    }

    private static HttpClient CreateManagementClient()
    {
        var uri = TestEnvironment.RabbitMqManagement;
        var client = new HttpClient { BaseAddress = new Uri($"{uri.Scheme}://{uri.Host}:{uri.Port}/"), Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        return client;
    }
}

/// <summary>A message as the tap copied it: the MassTransit envelope and the AMQP properties (content type, message id, headers).</summary>
public sealed record TappedMessage(string Payload, JsonObject Properties);

/// <summary>A queue's messages waiting or unacknowledged, and how many its consumers acknowledged in all.</summary>
public sealed record QueueCounters(long Waiting, long Acknowledged);
