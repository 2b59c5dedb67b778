using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

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

    [Theory]
    [InlineData("POST", "/api/voting/ballots/55555555-5555-5555-5555-555555555555/votes", null, "Vote")]
    [InlineData("GET", "/api/voting/ballots/55555555-5555-5555-5555-555555555555/votes/me", null, "None")]
    [InlineData("POST", "/api/comments/items/7c1b4c8e-3c1a-4f55-9d0e-000000000001/comments", null, "Comment")]
    [InlineData("PUT", "/api/comments/comments/7c1b4c8e-3c1a-4f55-9d0e-000000000001", null, "Comment")]
    [InlineData("POST", "/api/comments/comments/7c1b4c8e-3c1a-4f55-9d0e-000000000001/reports", null, "Comment")]
    [InlineData("POST", "/abstimmungen/55555555-5555-5555-5555-555555555555", null, "Vote")]
    [InlineData("POST", "/abstimmungen/55555555-5555-5555-5555-555555555555", "?handler=Move", "None")]
    [InlineData("POST", "/inhalte/7c1b4c8e-3c1a-4f55-9d0e-000000000001", "?handler=Comment", "Comment")]
    [InlineData("POST", "/inhalte/7c1b4c8e-3c1a-4f55-9d0e-000000000001", "?handler=EditComment", "Comment")]
    [InlineData("POST", "/inhalte/7c1b4c8e-3c1a-4f55-9d0e-000000000001", "?handler=Upvote", "None")]
    [InlineData("POST", "/konto/anmelden", null, "Credentials")]
    [InlineData("POST", "/abstimmungscode", null, "Credentials")]
    [InlineData("GET", "/konto/anmelden", null, "None")]
    [InlineData("POST", "/konto/registrieren", null, "Credentials")]
    [InlineData("POST", "/konto/email-bestaetigen", null, "Credentials")]
    [InlineData("POST", "/konto/passwort-vergessen", null, "Credentials")]
    [InlineData("POST", "/konto/passwort-zuruecksetzen", null, "Credentials")]
    [InlineData("POST", "/konto/wohnsitz", null, "Credentials")]
    [InlineData("GET", "/konto/wohnsitz", null, "None")]
    [InlineData("POST", "/konto", "?handler=Resend", "None")]
    public void WriteKind_PublicPaths_AreClassified(string method, string path, string? query, string expected)
    {
        RateLimits.WriteKind(Request(method, path, query).Request).ToString().Should().Be(expected);
    }

    [Fact]
    public void Fill_WebVote_DrawsFromTheSessionAndTheAddress_NeverKeepsTheCookie()
    {
        var rules = RateLimits.RateRules.Read(new ConfigurationBuilder().Build().GetSection("Gateway:RateLimits"));
        var takes = new BucketTake[IRateRules.MaxTakes];

        var count = rules.Fill(Request("POST", "/abstimmungen/55555555-5555-5555-5555-555555555555", session: "geheime-sitzung"), takes);

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
        var rules = RateLimits.RateRules.Read(configuration.GetSection("Gateway:RateLimits"));
        var takes = new BucketTake[IRateRules.MaxTakes];

        rules.Fill(Request("POST", "/api/voting/ballots/55555555-5555-5555-5555-555555555555/votes", user: "u1"), takes).Should().Be(2);

        takes[0].Key.Should().Be("vote-user:u1");
        takes[1].Rule.Should().Be(BucketRule.PerMinute(6_000_000, 1_000_000));
    }
}
