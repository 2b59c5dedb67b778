using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mitreden.ServiceDefaults.Auth;

public sealed class JwksKeyStoreOptions
{
    public required Uri JwksUri { get; init; }

    /// <summary>Background refresh period once keys are loaded.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>An unknown kid triggers at most one fetch per this interval (flood protection for Identity).</summary>
    public TimeSpan UnknownKeyRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay after a failed background fetch; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a request with an unknown kid waits for the refresh it triggered or joined.</summary>
    public TimeSpan MaxWaitForRefresh { get; init; } = TimeSpan.FromSeconds(5);

    public int MaxResponseBytes { get; init; } = 256 * 1024;
}

/// <summary>
/// Signing keys fetched from Identity's JWKS endpoint. Keys are refreshed in the background every 10 minutes
/// (after <see cref="Start"/>), retried with backoff while Identity is unreachable, and fetched on demand for an
/// unknown kid at most once per 30 s. Concurrent refreshes share one HTTP request. Until the first successful fetch
/// every token fails with "unknown key" (401); the service itself starts regardless.
/// </summary>
public sealed class JwksKeyStore : ISigningKeySource, IDisposable
{
    public const string HttpClientName = "Mitreden.Jwks";

    private readonly JwksKeyStoreOptions _options;
    private readonly Func<HttpClient> _httpClient;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile JsonWebKeySet _keys = JsonWebKeySet.Empty;
    private Task<bool>? _inflight;
    private long? _lastOnDemandFetch;
    private Task? _backgroundLoop;
    private long _fetchCount;
    private int _disposed;
    private long _lastSuccessUtcTicks;

    public JwksKeyStore(JwksKeyStoreOptions options, IHttpClientFactory httpClientFactory, TimeProvider? timeProvider = null, ILogger<JwksKeyStore>? logger = null)
        : this(options, () => httpClientFactory.CreateClient(HttpClientName), timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
    }

    public JwksKeyStore(JwksKeyStoreOptions options, HttpClient httpClient, TimeProvider? timeProvider = null, ILogger<JwksKeyStore>? logger = null)
        : this(options, () => httpClient, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
    }

    private JwksKeyStore(JwksKeyStoreOptions options, Func<HttpClient> httpClient, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.JwksUri.IsAbsoluteUri || (options.JwksUri.Scheme != Uri.UriSchemeHttp && options.JwksUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The JWKS URL must be an absolute http(s) URL.", nameof(options));
        }

        _options = options;
        _httpClient = httpClient;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<JwksKeyStore>.Instance;
    }

    public Uri JwksUri => _options.JwksUri;

    /// <summary>The keys currently held (empty until the first successful fetch).</summary>
    public JsonWebKeySet Keys => _keys;

    public bool HasKeys => _keys.Keys.Count > 0;

    /// <summary>Number of HTTP fetches attempted (diagnostics and tests).</summary>
    public long FetchCount => Interlocked.Read(ref _fetchCount);

    /// <summary>When the keys were last fetched successfully (null before the first success).</summary>
    public DateTimeOffset? LastSuccessfulRefresh =>
        Interlocked.Read(ref _lastSuccessUtcTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public JsonWebKey? FindKey(string keyId) => _keys.Find(keyId);

    public async ValueTask<JsonWebKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        var key = _keys.Find(keyId);
        if (key is not null || _stopping.IsCancellationRequested)
        {
            return key;
        }

        Task<bool> refresh;
        lock (_gate)
        {
            if (_inflight is { IsCompleted: false } running)
            {
                refresh = running; // join, costs no extra request
            }
            else
            {
                long now = _time.GetTimestamp();
                if (_lastOnDemandFetch is { } last && _time.GetElapsedTime(last, now) < _options.UnknownKeyRefreshInterval)
                {
                    return null;
                }

                _lastOnDemandFetch = now;
                refresh = _inflight = Task.Run(FetchAsync);
            }
        }

        try
        {
            await refresh.WaitAsync(_options.MaxWaitForRefresh, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }

        return _keys.Find(keyId);
    }

    /// <summary>Fetches the keys now (joining a fetch already running). Returns false if the fetch failed.</summary>
    public Task<bool> RefreshAsync()
    {
        lock (_gate)
        {
            if (_inflight is { IsCompleted: false } running)
            {
                return running;
            }

            return _inflight = Task.Run(FetchAsync);
        }
    }

    /// <summary>Starts the background refresh loop (idempotent). Does not wait for the first fetch.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _backgroundLoop ??= Task.Run(RunAsync);
        }
    }

    public async Task StopAsync()
    {
        Task? loop;
        lock (_gate)
        {
            loop = _backgroundLoop;
        }

        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        // Idempotent: DI may dispose the same instance twice (registered as itself and as ISigningKeySource).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        var retryDelay = _options.InitialRetryDelay;
        while (!token.IsCancellationRequested)
        {
            bool ok;
            try
            {
                ok = await RefreshAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "JWKS refresh loop error");
                ok = false;
            }

            TimeSpan delay;
            if (ok)
            {
                delay = _options.RefreshInterval;
                retryDelay = _options.InitialRetryDelay;
            }
            else
            {
                delay = retryDelay;
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }

            try
            {
                await Task.Delay(delay, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> FetchAsync()
    {
        Interlocked.Increment(ref _fetchCount);
        CancellationToken stopping;
        try
        {
            stopping = _stopping.Token;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(_options.RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, _options.JwksUri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _httpClient()
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                _logger.LogWarning("JWKS fetch from {JwksUri} returned {StatusCode}", _options.JwksUri, (int)response.StatusCode);
                return false;
            }

            if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
            {
                _logger.LogWarning("JWKS document from {JwksUri} is too large", _options.JwksUri);
                return false;
            }

            var body = await ReadLimitedAsync(response.Content, _options.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                _logger.LogWarning("JWKS document from {JwksUri} is too large", _options.JwksUri);
                return false;
            }

            var keys = JsonWebKeySet.Parse(body.Value);
            foreach (var skipped in keys.SkippedKeys)
            {
                _logger.LogWarning("JWKS from {JwksUri}: ignored a key ({Reason})", _options.JwksUri, skipped);
            }

            if (keys.Keys.Count == 0)
            {
                _logger.LogWarning("JWKS from {JwksUri} holds no usable signing key", _options.JwksUri);
            }

            _keys = keys;
            Interlocked.Exchange(ref _lastSuccessUtcTicks, _time.GetUtcNow().UtcTicks);
            _logger.LogDebug("JWKS refreshed from {JwksUri}: {KeyCount} keys", _options.JwksUri, keys.Keys.Count);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or FormatException or IOException or InvalidOperationException
            or Polly.ExecutionRejectedException)
        {
            if (!stopping.IsCancellationRequested)
            {
                _logger.LogWarning("JWKS fetch from {JwksUri} failed: {Error}", _options.JwksUri, ex.Message);
            }

            return false;
        }
    }

    private static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
