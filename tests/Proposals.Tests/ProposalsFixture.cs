using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>One Proposals service on its own database and vhost, shared by the integration tests (each test makes its own processes).</summary>
public sealed class ProposalsFixture : IAsyncLifetime
{
    public ServiceFactory<ProposalsDb> Factory { get; } =
        new ServiceFactory<ProposalsDb>("proposals").With("Proposals:PhaseClockInterval", "00:00:00.250");

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Factory).InitializeAsync();
        using var client = Factory.Anonymous();
        (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();

    private readonly ConcurrentDictionary<Type, Lazy<Task<object>>> _shared = new();

    /// <summary>Data that several rows of a theory share, made once (xUnit v2 cannot inject one fixture into another).</summary>
    public async Task<T> Shared<T>(Func<Task<T>> create) where T : class =>
        (T)await _shared.GetOrAdd(typeof(T), _ => new Lazy<Task<object>>(async () => await create())).Value;
}

[CollectionDefinition(Name)]
public sealed class ProposalsCollection : ICollectionFixture<ProposalsFixture>
{
    public const string Name = "proposals";
}

/// <summary>HTTP and database helpers for the tests.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body, Json);
    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string url, object body) => client.PutAsJsonAsync(url, body, Json);

    public static async Task<T> Read<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<JsonElement> Problem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A published process in its own city (with the five usual districts) and a phase running now.</summary>
    public static async Task<ProcessResponse> CreatePublishedProcessAsync(this ServiceFactory<ProposalsDb> factory, bool proposing = true,
        string[]? fields = null, string? city = null)
    {
        var staff = factory.Staff();
        city ??= Unique("Teststadt");
        foreach (var (slug, name) in new[] { ("mitte", "Mitte"), ("nord", "Nord"), ("sued", "Süd") })
        {
            (await staff.PostJson("/districts", new { city, slug, name })).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        var process = await (await staff.PostJson("/processes", new { title = Unique("Prozess"), description = "Test", city }))
            .Read<ProcessResponse>(HttpStatusCode.Created);
        foreach (var field in fields ?? ["Mobilität", "Klima"])
        {
            (await staff.PostJson($"/processes/{process.Id}/fields-of-action", new { title = field })).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        var now = DateTimeOffset.UtcNow;
        (await staff.PostJson($"/processes/{process.Id}/phases", new
        {
            title = "Online-Beteiligung",
            kind = "online-participation",
            startsAt = now.AddHours(-1),
            endsAt = now.AddDays(10),
            switches = new { proposing, commenting = true, preModeration = false, voting = true, resultsVisible = true },
        })).StatusCode.Should().Be(HttpStatusCode.Created);
        return await (await staff.PostAsync($"/processes/{process.Id}/publish", null)).Read<ProcessResponse>();
    }

    public static async Task<ItemResponse> CreateItemAsync(this HttpClient client, Guid processId, object body) =>
        await (await client.PostJson($"/processes/{processId}/items", body)).Read<ItemResponse>(HttpStatusCode.Created);

    /// <summary>Events of type T in the outbox (in order), with their dispatch time.</summary>
    public static async Task<List<(T Message, DateTimeOffset? DispatchedAt)>> OutboxAsync<T>(this ServiceFactory<ProposalsDb> factory,
        Func<T, bool>? where = null)
    {
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
        var prefix = typeof(T).FullName + ",";
        var rows = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType.StartsWith(prefix)).OrderBy(m => m.Id).ToListAsync();
        return rows.Select(r => (JsonSerializer.Deserialize<T>(r.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!, r.DispatchedAt))
            .Where(r => where?.Invoke(r.Item1) ?? true).ToList();
    }

    /// <summary>Waits until every outbox row matching the filter has been handed to the broker (publisher confirm).</summary>
    public static Task AssertDispatchedAsync<T>(this ServiceFactory<ProposalsDb> factory, Func<T, bool> where, int expected) =>
        Eventually.AssertAsync(async () =>
        {
            var rows = await factory.OutboxAsync(where);
            rows.Should().HaveCount(expected);
            rows.Should().OnlyContain(r => r.DispatchedAt != null);
        });
}

/// <summary>Receives events of one type from the service's real broker through a temporary queue.</summary>
public sealed class EventProbe<T> : IAsyncDisposable where T : class
{
    private HostReceiveEndpointHandle? _handle;

    public ConcurrentQueue<T> Received { get; } = new();

    public static async Task<EventProbe<T>> StartAsync(ServiceFactory<ProposalsDb> factory)
    {
        var probe = new EventProbe<T>();
        var bus = factory.Services.GetRequiredService<IBus>();
        probe._handle = bus.ConnectReceiveEndpoint($"test-probe-{typeof(T).Name.ToLowerInvariant()}-{Guid.NewGuid():N}", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            e.Handler<T>(context =>
            {
                probe.Received.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        });
        await probe._handle.Ready;
        return probe;
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.StopAsync();
        }
    }
}
