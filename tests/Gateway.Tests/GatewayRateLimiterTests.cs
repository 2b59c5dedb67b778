using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Mitreden.Gateway.Tests;

public sealed class GatewayRateLimiterTests
{
    /// <summary>Every request draws from a per-user bucket (burst 3) and a shared address bucket (burst 5).</summary>
    private sealed class UserAndAddress : IRateRules
    {
        public int Fill(HttpContext context, Span<BucketTake> takes)
        {
            takes[0] = new BucketTake("user:" + context.Request.Headers["X-User"], new BucketRule(0.001, 3));
            takes[1] = new BucketTake("ip:shared", new BucketRule(0.001, 5));
            return 2;
        }
    }

    private static HttpContext Request(string user)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-User"] = user;
        return context;
    }

    [Fact]
    public void AttemptAcquire_PerUserAndPerAddress_BothApply()
    {
        using var limiter = new GatewayRateLimiter(new TokenBuckets(TimeProvider.System), new UserAndAddress());

        var a = Enumerable.Range(0, 4).Select(_ => limiter.AttemptAcquire(Request("a")).IsAcquired).ToList();
        var b = Enumerable.Range(0, 4).Select(_ => limiter.AttemptAcquire(Request("b")).IsAcquired).ToList();

        a.Should().Equal(true, true, true, false);          // user a: burst 3
        b.Should().Equal(true, true, false, false);         // the address had 5: 3 for a, 2 for b
    }

    [Fact]
    public async Task AcquireAsync_Refused_CarriesRetryAfter()
    {
        using var limiter = new GatewayRateLimiter(new TokenBuckets(TimeProvider.System), new UserAndAddress());
        for (var i = 0; i < 3; i++)
        {
            (await limiter.AcquireAsync(Request("c"))).IsAcquired.Should().BeTrue();
        }

        using var refused = await limiter.AcquireAsync(Request("c"));

        refused.IsAcquired.Should().BeFalse();
        refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).Should().BeTrue();
        retryAfter.Should().BeGreaterThan(TimeSpan.FromMinutes(10), "one token per 1,000 s");
    }

    [Theory]
    [InlineData(null, "de", "Bitte warten Sie")]
    [InlineData("c=en|uic=en", "en", "Please wait")]
    [InlineData("c=de|uic=de", "de", "Bitte warten Sie")]
    public async Task Rejection_OfAPageRequest_IsAPageInThePersonsLanguage(string? cultureCookie, string lang, string text)
    {
        using var limiter = new GatewayRateLimiter(new TokenBuckets(TimeProvider.System), new UserAndAddress());
        for (var i = 0; i < 3; i++)
        {
            (await limiter.AcquireAsync(Request("p"))).IsAcquired.Should().BeTrue();
        }
        using var refused = await limiter.AcquireAsync(Request("p"));
        var context = new DefaultHttpContext();
        context.Request.Path = "/abstimmungen/1";
        context.Request.Headers.Accept = "text/html,application/xhtml+xml";
        if (cultureCookie is not null)
        {
            context.Request.Headers.Cookie = $".AspNetCore.Culture={Uri.EscapeDataString(cultureCookie)}";
        }
        var body = new MemoryStream();
        context.Response.Body = body;

        await RateLimits.WriteRejectionAsync(new Microsoft.AspNetCore.RateLimiting.OnRejectedContext { HttpContext = context, Lease = refused }, default);

        context.Response.StatusCode.Should().Be(429);
        context.Response.ContentType.Should().StartWith("text/html");
        var html = System.Text.Encoding.UTF8.GetString(body.ToArray());
        html.Should().Contain($"<html lang=\"{lang}\">").And.Contain(text);
    }
}
