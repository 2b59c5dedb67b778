using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Mitreden.ServiceDefaults.Redis;

/// <summary>
/// What Mitreden adds to StackExchange.Redis: one multiplexer per process with our connection settings (keep
/// trying instead of failing at start, so a service comes up before Redis and recovers when it returns), and a
/// readiness check. Everything else is the client's own API (<see cref="IConnectionMultiplexer"/>).
/// </summary>
public static class RedisConnection
{
    public static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 3;
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 5000;
        options.AsyncTimeout = 5000;
        options.KeepAlive = 10;
        return options;
    }

    public static IConnectionMultiplexer Connect(string configuration) => ConnectionMultiplexer.Connect(Options(configuration));
}

public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", ex);
        }
    }
}
