using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Mitreden.TestKit;

/// <summary>
/// A RabbitMQ virtual host of its own, so exchanges and queues of parallel test classes never meet.
/// Created and deleted through the management API of the test broker.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private static readonly HttpClient Management = CreateManagementClient();

    private TestVirtualHost(string name) => Name = name;

    public string Name { get; }

    /// <summary>amqp URI of the test broker pointing at this virtual host.</summary>
    public string AmqpUri
    {
        get
        {
            var builder = new UriBuilder(TestEnvironment.RabbitMq) { Path = "/" + Uri.EscapeDataString(Name) };
            return builder.Uri.ToString();
        }
    }

    public static async Task<TestVirtualHost> CreateAsync(string prefix)
    {
        var name = $"t-{prefix.ToLowerInvariant()}-{Guid.NewGuid():N}"[..36];
        var user = new Uri(TestEnvironment.RabbitMq).UserInfo.Split(':')[0];
        (await Management.PutAsJsonAsync($"api/vhosts/{Uri.EscapeDataString(name)}", new { })).EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new TestVirtualHost(name);
    }

    /// <summary>Messages waiting in a queue of this virtual host (ready + unacknowledged), or null if it does not exist.</summary>
    public async Task<long?> QueueDepthAsync(string queue)
    {
        var response = await Management.GetAsync($"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var info = await response.Content.ReadFromJsonAsync<QueueInfo>();
        return info?.messages ?? 0;
    }

    public async Task<IReadOnlyList<string>> QueueNamesAsync()
    {
        var queues = await Management.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{Uri.EscapeDataString(Name)}");
        return queues?.Select(q => q.name ?? "").ToList() ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(Name)}");
        }
        catch (HttpRequestException)
        {
            // The broker may already be gone at the end of the run; the vhost dies with it.
        }
    }

    private static HttpClient CreateManagementClient()
    {
        var uri = TestEnvironment.RabbitMqManagement;
        var client = new HttpClient { BaseAddress = new Uri($"{uri.Scheme}://{uri.Host}:{uri.Port}/"), Timeout = TimeSpan.FromSeconds(20) };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        }
        return client;
    }

    // Field names as the management API writes them.
#pragma warning disable IDE1006
    private sealed record QueueInfo(string? name, long? messages, string? type);
#pragma warning restore IDE1006
}
