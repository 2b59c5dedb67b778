using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Mitreden.Gateway;

/// <summary>
/// Per-client limits: a signed-in user is limited by account, everyone else by address. "credentials" guards
/// login and code redemption against guessing, "per-client" everything else. Routes name their policy in
/// appsettings (ReverseProxy:Routes:*:RateLimiterPolicy).
/// <para>
/// On top of that, the two write paths a flood would aim at — casting votes and writing comments (new comments,
/// replies, edits, reports) — have their own limits, per account and per address at once, whatever route policy
/// matched. The per-account limit stops one account from flooding; the per-address limit stops many accounts
/// driven from one machine. Because a whole city district may share one carrier-grade NAT address, the
/// per-address limits are far above what one person does (generous) but not unlimited (finite). Every number is
/// configurable under Gateway:RateLimits (env Gateway__RateLimits__*).
/// </para>
/// <para>
/// The web front end talks to the services directly, so its pages get the same limits here, at the gateway in
/// front of it: the forms of Identity's browser pages (sign-in, voting code, registration, email confirmation, password
/// reset, letter code) count as credentials, once per post (their routes name no policy): a per-minute first line per
/// address in front of Identity's own limits per address and per target address over its window (AttemptLimits). The
/// web's vote form and comment forms count as votes and comments — per browser session (the session cookie stands for
/// the account) and per address.
/// </para>
/// <para>
/// All buckets live in one timer-free <see cref="TokenBuckets"/> store behind <see cref="GatewayRateLimiter"/>
/// (the global limiter); the named policies only mark routes for it (YARP checks that the names exist).
/// </para>
/// </summary>
public static partial class RateLimits
{
    public const string PerClient = "per-client";
    public const string Credentials = "credentials";

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var rules = RateRules.Read(configuration.GetSection("Gateway:RateLimits"));
        var limiter = new GatewayRateLimiter(new TokenBuckets(TimeProvider.System), rules);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = WriteRejectionAsync;
            o.AddPolicy(PerClient, _ => RateLimitPartition.GetNoLimiter(PerClient));
            o.AddPolicy(Credentials, _ => RateLimitPartition.GetNoLimiter(Credentials));
            o.GlobalLimiter = limiter;
        });
        return services;
    }

    internal enum WriteKinds { None, Vote, Comment, Credentials }

    /// <summary>What a request is, as far as the write limits care — matched on the public path.</summary>
    internal static WriteKinds WriteKind(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method))
        {
            return WriteKinds.None;
        }
        var path = request.Path.Value ?? "";
        var post = HttpMethods.IsPost(request.Method);
        if (path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            if (post && VotePath().IsMatch(path))
            {
                return WriteKinds.Vote;
            }
            if ((post && (NewCommentPath().IsMatch(path) || ReportPath().IsMatch(path))) || (!post && EditCommentPath().IsMatch(path)))
            {
                return WriteKinds.Comment;
            }
            return WriteKinds.None;
        }
        if (!post)
        {
            return WriteKinds.None;
        }
        // The web front end's forms (Razor Pages: the handler is in the query string).
        var handler = request.Query["handler"].ToString();
        if (WebBallotPath().IsMatch(path))
        {
            return handler.Length == 0 ? WriteKinds.Vote : WriteKinds.None;   // "move" only reorders a ranking
        }
        if (WebItemPath().IsMatch(path))
        {
            return handler.ToLowerInvariant() is "comment" or "reply" or "report" or "editcomment" ? WriteKinds.Comment : WriteKinds.None;
        }
        return WebCredentialPath().IsMatch(path) ? WriteKinds.Credentials : WriteKinds.None;
    }

    [GeneratedRegex("^/api/voting/ballots/[^/]+/votes/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VotePath();

    [GeneratedRegex("^/api/comments/items/[^/]+/comments/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NewCommentPath();

    [GeneratedRegex("^/api/comments/comments/[^/]+/reports/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReportPath();

    [GeneratedRegex("^/api/comments/comments/[^/]+/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EditCommentPath();

    [GeneratedRegex("^/abstimmungen/[0-9a-f-]{36}/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WebBallotPath();

    [GeneratedRegex("^/inhalte/[0-9a-f-]{36}/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WebItemPath();

    [GeneratedRegex("^/(konto/anmelden|konto/registrieren|konto/email-bestaetigen|konto/passwort-vergessen|konto/passwort-zuruecksetzen|konto/wohnsitz|abstimmungscode)/?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WebCredentialPath();

    /// <summary>The buckets of a request, from Gateway:RateLimits.</summary>
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

        public static RateRules Read(IConfigurationSection section)
        {
            var credentialsPerMinute = Math.Max(1, section.GetValue("CredentialsPerMinute", 10));
            return new RateRules
            {
                PerUser = new BucketRule(Math.Max(1, section.GetValue("PerClientPerSecond", 50)), Math.Max(1, section.GetValue("PerClientBurst", 100))),
                Anonymous = new BucketRule(Math.Max(1, section.GetValue("AnonymousPerSecond", 100)), Math.Max(1, section.GetValue("AnonymousBurst", 200))),
                // As many guesses as the minute allows at once, refilled over the minute.
                CredentialsRule = BucketRule.PerMinute(credentialsPerMinute, credentialsPerMinute),
                VotesPerUser = Write(section, "VotesPerUser", perMinute: 30, burst: 10),
                VotesPerAddress = Write(section, "VotesPerAddress", perMinute: 600, burst: 300),
                CommentsPerUser = Write(section, "CommentsPerUser", perMinute: 6, burst: 5),
                CommentsPerAddress = Write(section, "CommentsPerAddress", perMinute: 120, burst: 60),
            };
        }

        private static BucketRule Write(IConfigurationSection section, string prefix, int perMinute, int burst) =>
            BucketRule.PerMinute(section.GetValue(prefix + "PerMinute", perMinute), section.GetValue(prefix + "Burst", burst));

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
            switch (WriteKind(context.Request))
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
