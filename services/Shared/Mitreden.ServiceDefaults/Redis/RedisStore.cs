using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Mitreden.ServiceDefaults.Redis;

/// <summary>
/// Every Redis call of Mitreden goes through this class, so the client (StackExchange.Redis 1.2.6, the only one
/// our registry holds) can be replaced in one place. One multiplexer per process.
/// </summary>
public sealed class RedisStore : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _connection;

    public RedisStore(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 3;
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 5000;
        options.KeepAlive = 10;
        _connection = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));
    }

    private IDatabase Db => _connection.Value.GetDatabase();

    public bool IsConnected => _connection.Value.IsConnected;

    public async Task<TimeSpan> PingAsync() => await Db.PingAsync();

    public async Task<string?> GetAsync(string key) => await Db.StringGetAsync(key);

    public Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null) => Db.StringSetAsync(key, value, expiry);

    /// <summary>SET NX with expiry: true when this caller created the key.</summary>
    public Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan expiry) =>
        Db.StringSetAsync(key, value, expiry, When.NotExists);

    public Task<long> IncrementAsync(string key, long by = 1) => Db.StringIncrementAsync(key, by);

    public Task<bool> ExpireAsync(string key, TimeSpan expiry) => Db.KeyExpireAsync(key, expiry);

    public Task<long> HashIncrementAsync(string key, string field, long by) => Db.HashIncrementAsync(key, field, by);

    public async Task<Dictionary<string, long>> HashGetAllAsLongAsync(string key)
    {
        var entries = await Db.HashGetAllAsync(key);
        var result = new Dictionary<string, long>(entries.Length);
        foreach (var entry in entries)
        {
            result[entry.Name!] = (long)entry.Value;
        }
        return result;
    }

    public Task HashSetAsync(string key, IReadOnlyDictionary<string, long> values) =>
        Db.HashSetAsync(key, values.Select(v => new HashEntry(v.Key, v.Value)).ToArray());

    public Task<bool> DeleteAsync(string key) => Db.KeyDeleteAsync(key);

    public async Task<RedisResult> EvaluateAsync(string script, string[] keys, string[] args) =>
        await Db.ScriptEvaluateAsync(script,
            keys.Select(k => (RedisKey)k).ToArray(),
            args.Select(a => (RedisValue)a).ToArray());

    public Task<long> PublishAsync(string channel, string message) =>
        _connection.Value.GetSubscriber().PublishAsync(channel, message);

    public Task SubscribeAsync(string channel, Action<string, string> handler) =>
        _connection.Value.GetSubscriber().SubscribeAsync(channel, (c, v) => handler(c!, v!));

    public Task UnsubscribeAsync(string channel) => _connection.Value.GetSubscriber().UnsubscribeAsync(channel);

    public void Dispose()
    {
        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }
    }
}

public sealed class RedisHealthCheck(RedisStore redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", ex);
        }
    }
}
