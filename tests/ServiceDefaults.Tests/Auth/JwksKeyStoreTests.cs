using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>A tiny real Kestrel server that serves a JWKS document which the test can rotate or break.</summary>
internal sealed class FakeJwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeJwksServer(WebApplication app) => _app = app;

    public volatile string Jwks = "{\"keys\":[]}";

    public volatile int StatusCode = 200;

    public int Requests => Volatile.Read(ref _requests);

    public Uri JwksUri { get; private set; } = null!;

    public static async Task<FakeJwksServer> StartAsync(string jwks)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeJwksServer(app) { Jwks = jwks };
        app.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref server._requests);
            return server.StatusCode == 200
                ? Results.Content(server.Jwks, "application/json")
                : Results.StatusCode(server.StatusCode);
        });
        await app.StartAsync();
        server.JwksUri = new Uri(app.Urls.Single() + "/.well-known/jwks.json");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed class JwksKeyStoreTests : IAsyncLifetime
{
    private readonly TestTokens _first = new();
    private readonly TestTokens _second = new();
    private readonly ManualTimeProvider _time = new();
    private readonly HttpClient _http = new();
    private FakeJwksServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeJwksServer.StartAsync(_first.JwksJson);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _first.Dispose();
        _second.Dispose();
    }

    private JwksKeyStore CreateStore(Uri? uri = null) => new(new JwksKeyStoreOptions { JwksUri = uri ?? _server.JwksUri }, _http, _time);

    private JwtValidator Validator(ISigningKeySource store) =>
        new(new JwtValidationParameters { Issuer = _first.Issuer, Audience = _first.Audience }, store, new ValidatedTokenCache());

    [Fact]
    public async Task ValidateAsync_FirstToken_FetchesKeysOnDemand()
    {
        using var store = CreateStore();
        var validator = Validator(store);

        var outcome = await validator.ValidateAsync(_first.Issue(), _time.GetUtcNow());

        outcome.Succeeded.Should().BeTrue(outcome.ToString());
        _server.Requests.Should().Be(1);
        store.HasKeys.Should().BeTrue();
    }

    [Fact]
    public async Task ValidateAsync_UnknownKidAfterRotation_RefreshesAndAcceptsNewKey()
    {
        using var store = CreateStore();
        var validator = Validator(store);
        (await validator.ValidateAsync(_first.Issue(), _time.GetUtcNow())).Succeeded.Should().BeTrue();

        _server.Jwks = _second.JwksJson; // Identity rotated its keys
        _time.Advance(TimeSpan.FromSeconds(31));
        var outcome = await validator.ValidateAsync(_second.Issue(), _time.GetUtcNow());

        outcome.Succeeded.Should().BeTrue(outcome.ToString());
        _server.Requests.Should().Be(2);
        store.FindKey(_first.RsaKeyId).Should().BeNull("the old key was removed from the JWKS");
    }

    [Fact]
    public async Task ValidateAsync_UnknownKidWithinThirtySecondsOfLastFetch_DoesNotRefetch()
    {
        using var store = CreateStore();
        var validator = Validator(store);
        (await validator.ValidateAsync(_first.Issue(), _time.GetUtcNow())).Succeeded.Should().BeTrue();
        _server.Jwks = _second.JwksJson;

        _time.Advance(TimeSpan.FromSeconds(29));
        var tooEarly = await validator.ValidateAsync(_second.Issue(), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(2));
        var afterInterval = await validator.ValidateAsync(_second.Issue(), _time.GetUtcNow());

        tooEarly.Failure.Should().Be(TokenFailureReason.UnknownKey);
        afterInterval.Succeeded.Should().BeTrue();
        _server.Requests.Should().Be(2);
    }

    [Fact]
    public async Task FindKeyAsync_FloodOfUnknownKids_FetchesAtMostOncePer30Seconds()
    {
        using var store = CreateStore();
        var validator = Validator(store);
        (await validator.ValidateAsync(_first.Issue(), _time.GetUtcNow())).Succeeded.Should().BeTrue();
        _server.Requests.Should().Be(1);

        // 2000 requests with random kids, 50 at a time, from many "clients".
        _time.Advance(TimeSpan.FromSeconds(31));
        for (int batch = 0; batch < 40; batch++)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
                await validator.ValidateAsync(_first.Issue(header: h => h["kid"] = Guid.NewGuid().ToString()), _time.GetUtcNow()))));
            outcomes.Should().AllSatisfy(o => o.Failure.Should().Be(TokenFailureReason.UnknownKey));
        }

        _server.Requests.Should().Be(2, "one refresh for the whole flood");

        _time.Advance(TimeSpan.FromSeconds(15));
        for (int i = 0; i < 200; i++)
        {
            (await store.FindKeyAsync(Guid.NewGuid().ToString(), default)).Should().BeNull();
        }

        _server.Requests.Should().Be(2);

        _time.Advance(TimeSpan.FromSeconds(16));
        for (int i = 0; i < 200; i++)
        {
            (await store.FindKeyAsync(Guid.NewGuid().ToString(), default)).Should().BeNull();
        }

        _server.Requests.Should().Be(3, "30 s passed, so exactly one more refresh");

        // Known keys keep working without any request.
        (await validator.ValidateAsync(_first.Issue(), _time.GetUtcNow())).Succeeded.Should().BeTrue();
        _server.Requests.Should().Be(3);
    }

    [Fact]
    public async Task ValidateAsync_IdentityDownAtStart_FailsUntilKeysAreFetched()
    {
        _server.StatusCode = 503;
        using var store = CreateStore();
        var validator = Validator(store);

        var whileDown = await validator.ValidateAsync(_first.Issue(), _time.GetUtcNow());
        _server.StatusCode = 200;
        _time.Advance(TimeSpan.FromSeconds(31));
        var afterRecovery = await validator.ValidateAsync(_first.Issue(), _time.GetUtcNow());

        whileDown.Failure.Should().Be(TokenFailureReason.UnknownKey);
        afterRecovery.Succeeded.Should().BeTrue(afterRecovery.ToString());
    }

    [Fact]
    public async Task FindKeyAsync_UnreachableServer_ReturnsNullWithoutThrowing()
    {
        using var store = CreateStore(new Uri($"http://127.0.0.1:{ClosedPort()}/.well-known/jwks.json"));

        var key = await store.FindKeyAsync(_first.RsaKeyId, default);

        key.Should().BeNull();
        store.HasKeys.Should().BeFalse();
        store.FetchCount.Should().Be(1);
    }

    [Fact]
    public async Task RefreshAsync_InvalidDocument_KeepsPreviousKeys()
    {
        using var store = CreateStore();
        (await store.RefreshAsync()).Should().BeTrue();

        _server.Jwks = "{ this is not json";
        (await store.RefreshAsync()).Should().BeFalse();

        store.FindKey(_first.RsaKeyId).Should().NotBeNull();
    }

    [Fact]
    public async Task Start_BackgroundLoop_LoadsKeysWithoutAnyRequest()
    {
        _server.StatusCode = 503;
        using var store = new JwksKeyStore(
            new JwksKeyStoreOptions { JwksUri = _server.JwksUri, InitialRetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(200) },
            _http);

        store.Start();
        await WaitUntil(() => _server.Requests >= 2); // failed at least once, retrying
        _server.StatusCode = 200;
        await WaitUntil(() => store.HasKeys);
        await store.StopAsync();

        store.FindKey(_first.EcKeyId)!.Algorithm.Should().Be("ES256");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should become true");
            await Task.Delay(20);
        }
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
