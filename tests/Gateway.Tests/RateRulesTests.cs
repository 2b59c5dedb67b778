using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Mitreden.Gateway.Tests;

public sealed class RateRulesTests
{
    private static HttpContext Request(string method, string path, string? query = null, string? user = null, string? session = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }
        if (user is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)], "Bearer"));
        }
        if (session is not null)
        {
            context.Request.Headers.Cookie = "mitreden.session=" + session;
        }
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("198.18.0.7");
        return context;
    }

    /// <summary>The request as the gateway's routing leaves it: on a route with this metadata.</summary>
    private static HttpContext OnRoute(HttpContext context, Dictionary<string, string>? metadata)
    {
        var route = new RouteConfig { RouteId = "route", Metadata = metadata };
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new RouteModel(route, null, HttpTransformer.Default)), "route"));
        return context;
    }

    [Theory]
    [InlineData("vote", null, null, "Vote")]
    [InlineData("comment", null, null, "Comment")]
    [InlineData("credentials", null, null, "Credentials")]
    [InlineData("Vote", "(default)", null, "Vote")]
    [InlineData("vote", "(default)", "?handler=Move", "None")]
    [InlineData("comment", "comment,reply,report,editcomment", "?handler=EditComment", "Comment")]
    [InlineData("comment", "comment,reply,report,editcomment", "?handler=Upvote", "None")]
    [InlineData("comment", "comment,reply,report,editcomment", null, "None")]
    [InlineData(null, null, null, "None")]
    public void WriteKind_RouteMetadata_DecidesTheKind(string? kind, string? handlers, string? query, string expected)
    {
        var metadata = new Dictionary<string, string>();
        if (kind is not null)
        {
            metadata[WriteLimit.KindKey] = kind;
        }
        if (handlers is not null)
        {
            metadata[WriteLimit.HandlersKey] = handlers;
        }

        RateLimits.WriteKind(OnRoute(Request("POST", "/any/path", query), metadata)).ToString().Should().Be(expected);
    }

    [Fact]
    public void WriteKind_NoRoute_None()
    {
        RateLimits.WriteKind(Request("POST", "/abstimmungen/55555555-5555-5555-5555-555555555555")).Should().Be(RateLimits.WriteKinds.None);
    }

    [Theory]
    [InlineData("votes", null)]
    [InlineData(null, "comment")]
    [InlineData("comment", " , ")]
    public void Of_MetadataThatWouldSwitchALimitOff_Throws(string? kind, string? handlers)
    {
        var metadata = new Dictionary<string, string>();
        if (kind is not null)
        {
            metadata[WriteLimit.KindKey] = kind;
        }
        if (handlers is not null)
        {
            metadata[WriteLimit.HandlersKey] = handlers;
        }

        var parse = () => WriteLimit.Of(new RouteConfig { RouteId = "r1", Metadata = metadata });

        parse.Should().Throw<InvalidOperationException>().WithMessage("*r1*");
    }

    [Fact]
    public void Fill_WebVote_DrawsFromTheSessionAndTheAddress_NeverKeepsTheCookie()
    {
        var rules = RateLimits.RateRules.From(new RateLimitOptions());
        var takes = new BucketTake[IRateRules.MaxTakes];

        var count = rules.Fill(OnRoute(Request("POST", "/abstimmungen/55555555-5555-5555-5555-555555555555", session: "geheime-sitzung"),
            new() { [WriteLimit.KindKey] = "vote", [WriteLimit.HandlersKey] = WriteLimit.DefaultHandler }), takes);

        count.Should().Be(2);
        takes[0].Key.Should().StartWith("vote-user:session:").And.NotContain("geheime-sitzung");
        takes[0].Rule.Should().Be(BucketRule.PerMinute(30, 10));
        takes[1].Key.Should().Be("vote-ip:198.18.0.7");
        takes[1].Rule.Should().Be(BucketRule.PerMinute(600, 300));
    }

    [Fact]
    public void Fill_Configuration_RaisesTheLimits()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:VotesPerAddressPerMinute"] = "6000000",
            ["Gateway:RateLimits:VotesPerAddressBurst"] = "1000000",
        }).Build();
        var rules = RateLimits.RateRules.From(configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>()!);
        var takes = new BucketTake[IRateRules.MaxTakes];

        rules.Fill(OnRoute(Request("POST", "/api/voting/ballots/55555555-5555-5555-5555-555555555555/votes", user: "u1"),
            new() { [WriteLimit.KindKey] = "vote" }), takes).Should().Be(2);

        takes[0].Key.Should().Be("vote-user:u1");
        takes[1].Rule.Should().Be(BucketRule.PerMinute(6_000_000, 1_000_000));
    }
}
