using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.ServiceDefaults.Tests.Http;

/// <summary>The resilience setup of our HTTP clients, against a counting last handler (the network stands in for a service).</summary>
public sealed class BackendResilienceTests
{
    private sealed class CountingHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return answer(request, cancellationToken);
        }
    }

    private static (HttpClient Client, CountingHandler Handler) Client(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer, TimeSpan attempt, TimeSpan total)
    {
        var handler = new CountingHandler(answer);
        var services = new ServiceCollection();
        services.AddHttpClient("backend", c => c.BaseAddress = new Uri("http://backend.invalid"))
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .AddMitredenResilience(attempt, total);
        var client = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("backend");
        return (client, handler);
    }

    private static Task<HttpResponseMessage> Unavailable(HttpRequestMessage _, CancellationToken __) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

    [Fact]
    public async Task SendAsync_GetAnswered503_RetriedTwice()
    {
        var (client, handler) = Client(Unavailable, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));

        using var response = await client.GetAsync("/items");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        handler.Calls.Should().Be(1 + BackendResilience.MaxRetryAttempts);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task SendAsync_UnsafeMethodAnswered503_SentOnce(string method)
    {
        var (client, handler) = Client(Unavailable, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/ballots/1/votes")
        {
            Content = new StringContent("{}"),
        });

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        handler.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_SlowAnswer_CutAtTheAttemptTimeout()
    {
        var (client, _) = Client(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        var send = () => client.GetAsync("/items");

        await send.Should().ThrowAsync<Polly.Timeout.TimeoutRejectedException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SendAsync_RequestTimeoutOption_LongerThanTheDefaults()
    {
        var (client, handler) = Client(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(800), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        var request = new HttpRequestMessage(HttpMethod.Post, "/ballots/1/close");
        request.Options.Set(BackendResilience.RequestTimeout, TimeSpan.FromSeconds(5));

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        handler.Calls.Should().Be(1);
    }
}
