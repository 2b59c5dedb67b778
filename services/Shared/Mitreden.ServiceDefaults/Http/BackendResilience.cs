using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Mitreden.ServiceDefaults.Http;

/// <summary>
/// The one resilience setup for our HTTP clients (the web's service clients, the JWKS fetch): the standard handler
/// of Microsoft.Extensions.Http.Resilience with explicit timeouts. Only idempotent reads are retried: a POST, PUT,
/// PATCH or DELETE that timed out may have been applied, so repeating it blindly could cast or post twice.
/// </summary>
public static class BackendResilience
{
    /// <summary>
    /// A longer time for one request (closing a ballot waits for the vote queue, exports, imports). It replaces both
    /// the attempt and the total timeout of that request only; page renders keep the short defaults.
    /// </summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> RequestTimeout = new("mitreden.request-timeout");

    public const int MaxRetryAttempts = 2;

    public static IHttpClientBuilder AddMitredenResilience(this IHttpClientBuilder builder, TimeSpan attemptTimeout, TimeSpan totalTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalTimeout, attemptTimeout);
        // The pipeline's timeouts govern; HttpClient's own 100 s default would cut a long request short or outlive them.
        builder.ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddStandardResilienceHandler(o => Configure(o, attemptTimeout, totalTimeout));
        return builder;
    }

    /// <summary>The same, with timeouts from checked options (read when the client's pipeline is built).</summary>
    public static IHttpClientBuilder AddMitredenResilience(this IHttpClientBuilder builder,
        Func<IServiceProvider, (TimeSpan Attempt, TimeSpan Total)> timeouts)
    {
        builder.ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddStandardResilienceHandler().Configure((o, services) =>
        {
            var (attempt, total) = timeouts(services);
            ArgumentOutOfRangeException.ThrowIfLessThan(total, attempt);
            Configure(o, attempt, total);
        });
        return builder;
    }

    public static void Configure(HttpStandardResilienceOptions options, TimeSpan attemptTimeout, TimeSpan totalTimeout)
    {
        options.AttemptTimeout.Timeout = attemptTimeout;
        options.AttemptTimeout.TimeoutGenerator = args => ValueTask.FromResult(Override(args.Context) ?? attemptTimeout);
        options.TotalRequestTimeout.Timeout = totalTimeout;
        options.TotalRequestTimeout.TimeoutGenerator = args => ValueTask.FromResult(Override(args.Context) ?? totalTimeout);
        options.Retry.MaxRetryAttempts = MaxRetryAttempts;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.DisableForUnsafeHttpMethods();
        // The breaker must sample at least two attempt timeouts (the options' own validation).
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, attemptTimeout.Ticks * 2));
    }

    private static TimeSpan? Override(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(RequestTimeout, out var timeout) ? timeout : null;
}
