using System.Globalization;
using System.Security.Claims;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Mitreden.Gateway;

/// <summary>
/// Per-client limits: a signed-in user is limited by account, everyone else by address. "credentials" guards
/// login and code redemption against guessing, "per-client" everything else. Routes name their policy in
/// appsettings (ReverseProxy:Routes:*:RateLimiterPolicy).
/// <para>
/// On top of that, the writes a flood would aim at — casting votes and writing comments (new comments, replies, edits,
/// reports) — have their own limits, per account and per address at once, whatever route policy matched. The
/// per-account limit stops one account from flooding; the per-address limit stops many accounts driven from one
/// machine. Because a whole city district may share one carrier-grade NAT address, the per-address limits are far
/// above what one person does (generous) but not unlimited (finite). Every number is configurable under
/// Gateway:RateLimits (env Gateway__RateLimits__*).
/// </para>
/// <para>
/// Which requests are such writes is configuration, not code: a route names its kind in its metadata
/// (ReverseProxy:Routes:*:Metadata:WriteLimit = vote, comment or credentials), and a route of a Razor page lists the
/// page handlers that write (WriteLimitHandlers, see <see cref="WriteLimit"/>). The gateway knows neither the web's
/// URLs nor its handler names in code, so a renamed page is a change of its route in appsettings next to every other
/// route of the web, and a route naming an unknown kind fails the start. The web's vote and comment forms count per
/// browser session (the session cookie stands for the account) and per address. Chosen over the web marking its
/// forms: a mark sent by the browser could be left out by whoever floods, and the web is behind the gateway.
/// </para>
/// <para>
/// Identity's browser pages (sign-in, voting code, registration, email confirmation, password reset, letter code) are
/// limited once, by Identity itself (Identity:Limits, AttemptLimits: failures per address, per account and address, per
/// account, shared by its replicas), so their routes carry no limit here; a per-minute count at the gateway as well
/// would have been a second limit with other numbers.
/// </para>
/// <para>
/// All buckets live in one timer-free <see cref="TokenBuckets"/> store behind <see cref="GatewayRateLimiter"/>
/// (the global limiter); the named policies only mark routes for it (YARP checks that the names exist).
/// </para>
/// </summary>
public static class RateLimits
{
    public const string PerClient = "per-client";
    public const string Credentials = "credentials";

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ValidateRoutes(configuration);
        RateLimitOptions.Add(services);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = WriteRejectionAsync;
            o.AddPolicy(PerClient, _ => RateLimitPartition.GetNoLimiter(PerClient));
            o.AddPolicy(Credentials, _ => RateLimitPartition.GetNoLimiter(Credentials));
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
            o.GlobalLimiter = new GatewayRateLimiter(new TokenBuckets(TimeProvider.System), RateRules.From(limits.Value)));
        return services;
    }

    internal enum WriteKinds { None, Vote, Comment, Credentials }

    /// <summary>
    /// What a request is, as far as the write limits care: read from its route's metadata (<see cref="WriteLimit"/>),
    /// never from the path. A route without the metadata has no write limit.
    /// </summary>
    internal static WriteKinds WriteKind(HttpContext context)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config;
        return route is null ? WriteKinds.None : WriteLimits.GetValue(route, WriteLimit.Of).KindOf(context.Request);
    }

    /// <summary>Parsed once per route (config reloads bring new <see cref="RouteConfig"/> objects).</summary>
    private static readonly ConditionalWeakTable<RouteConfig, WriteLimit> WriteLimits = new();

    /// <summary>Fails at start on a route whose write-limit metadata names no known kind (a typo would switch a limit off).</summary>
    internal static void ValidateRoutes(IConfiguration configuration)
    {
        foreach (var route in configuration.GetSection("ReverseProxy:Routes").GetChildren())
        {
            var metadata = route.GetSection("Metadata").GetChildren()
                .Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value!, StringComparer.OrdinalIgnoreCase);
            WriteLimit.Of(new RouteConfig { RouteId = route.Key, Metadata = metadata });
        }
    }

    /// <summary>The buckets of a request, from <see cref="RateLimitOptions"/>.</summary>
    internal sealed class RateRules : IRateRules
    {
        private const string SessionCookie = "mitreden.session";

        public required BucketRule PerUser { get; init; }
        public required BucketRule Anonymous { get; init; }
        public required BucketRule CredentialsRule { get; init; }
        public required BucketRule VotesPerUser { get; init; }
        public required BucketRule VotesPerAddress { get; init; }
        public required BucketRule CommentsPerUser { get; init; }
        public required BucketRule CommentsPerAddress { get; init; }

        public static RateRules From(RateLimitOptions o) => new()
        {
            PerUser = new BucketRule(o.PerClientPerSecond, o.PerClientBurst),
            Anonymous = new BucketRule(o.AnonymousPerSecond, o.AnonymousBurst),
            // As many guesses as the minute allows at once, refilled over the minute.
            CredentialsRule = BucketRule.PerMinute(o.CredentialsPerMinute, o.CredentialsPerMinute),
            VotesPerUser = BucketRule.PerMinute(o.VotesPerUserPerMinute, o.VotesPerUserBurst),
            VotesPerAddress = BucketRule.PerMinute(o.VotesPerAddressPerMinute, o.VotesPerAddressBurst),
            CommentsPerUser = BucketRule.PerMinute(o.CommentsPerUserPerMinute, o.CommentsPerUserBurst),
            CommentsPerAddress = BucketRule.PerMinute(o.CommentsPerAddressPerMinute, o.CommentsPerAddressBurst),
        };

        public int Fill(HttpContext context, Span<BucketTake> takes)
        {
            var count = 0;
            var address = ClientAddress(context);
            var user = context.User.FindFirstValue("sub");
            var endpoint = context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null)
            {
                switch (endpoint?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName)
                {
                    case PerClient:
                        takes[count++] = user is not null ? new("user:" + user, PerUser) : new("ip:" + address, Anonymous);
                        break;
                    case Credentials:
                        takes[count++] = new("cred:" + address, CredentialsRule);
                        break;
                }
            }
            switch (WriteKind(context))
            {
                case WriteKinds.Vote:
                    takes[count++] = new("vote-user:" + (user ?? Session(context) ?? "ip:" + address), VotesPerUser);
                    takes[count++] = new("vote-ip:" + address, VotesPerAddress);
                    break;
                case WriteKinds.Comment:
                    takes[count++] = new("comment-user:" + (user ?? Session(context) ?? "ip:" + address), CommentsPerUser);
                    takes[count++] = new("comment-ip:" + address, CommentsPerAddress);
                    break;
                case WriteKinds.Credentials:
                    takes[count++] = new("cred:" + address, CredentialsRule);
                    break;
            }
            return count;
        }

        /// <summary>The web session (a hash of its cookie, never the cookie itself): stands for the signed-in account.</summary>
        private static string? Session(HttpContext context) =>
            context.Request.Cookies[SessionCookie] is { Length: > 0 } id
                ? "session:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)), 0, 16)
                : null;
    }

    private static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (WantsPage(context.Request))
        {
            // A person's browser asked for a page: a page in the language the person chose (German unless English).
            var english = context.Request.Cookies[Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName]
                is { } culture && culture.Contains("uic=en", StringComparison.OrdinalIgnoreCase);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(english
                ? $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many requests – Mitreden</title></head><body><main><h1>Too many requests</h1><p>Please wait {seconds} seconds, then try again.</p></main></body></html>"
                : $"<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Zu viele Anfragen – Mitreden</title></head><body><main><h1>Zu viele Anfragen</h1><p>Bitte warten Sie {seconds} Sekunden und versuchen Sie es dann erneut.</p></main></body></html>",
                ct);
            return;
        }
        var problemDetails = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = 429,
                Title = "Too many requests",
                Detail = $"Please wait {seconds} s before trying again.",
                Extensions = { ["code"] = "rate-limited", ["retryAfterSeconds"] = seconds },
            },
        });
    }

    /// <summary>A browser navigating to a page (not an API call, which gets ProblemDetails).</summary>
    private static bool WantsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
