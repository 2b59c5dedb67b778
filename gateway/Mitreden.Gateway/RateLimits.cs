using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Mitreden.Gateway;

/// <summary>
/// Per-client limits: a signed-in user is limited by account, everyone else by address. "credentials" guards
/// login and code redemption against guessing, "per-client" everything else. Routes name their policy in
/// appsettings (ReverseProxy:Routes:*:RateLimiterPolicy).
/// </summary>
public static class RateLimits
{
    public const string PerClient = "per-client";
    public const string Credentials = "credentials";

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Gateway:RateLimits");
        var perSecond = section.GetValue("PerClientPerSecond", 50);
        var burst = section.GetValue("PerClientBurst", 100);
        var anonymousPerSecond = section.GetValue("AnonymousPerSecond", 100);
        var anonymousBurst = section.GetValue("AnonymousBurst", 200);
        var credentialsPerMinute = section.GetValue("CredentialsPerMinute", 10);

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = WriteRejectionAsync;
            o.AddPolicy(PerClient, context =>
            {
                var user = context.User.FindFirstValue("sub");
                return user is not null
                    ? RateLimitPartition.GetTokenBucketLimiter("user:" + user, _ => Bucket(perSecond, burst))
                    : RateLimitPartition.GetTokenBucketLimiter("ip:" + ClientAddress(context), _ => Bucket(anonymousPerSecond, anonymousBurst));
            });
            o.AddPolicy(Credentials, context =>
                RateLimitPartition.GetSlidingWindowLimiter("cred:" + ClientAddress(context), _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = credentialsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                }));
        });
        return services;
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problemDetails = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = 429,
                Title = "Too many requests",
                Detail = $"Please wait {seconds} s before trying again.",
            },
        });
    }
}
