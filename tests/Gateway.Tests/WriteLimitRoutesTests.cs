using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy;

namespace Mitreden.Gateway.Tests;

/// <summary>
/// The write limits come from the routes' metadata in the gateway's appsettings: each form of the web that writes is
/// limited, its other handlers and unknown paths are not, Identity's pages are left to Identity, and a route added by
/// configuration alone is limited. Checked through the real gateway against stub destinations.
/// </summary>
public sealed class WriteLimitRoutesTests : IAsyncLifetime
{
    private const string Ballot = "/abstimmungen/55555555-5555-5555-5555-555555555555";
    private const string Item = "/inhalte/7c1b4c8e-3c1a-4f55-9d0e-000000000001";
    private const int Burst = 2;

    private WebApplication _stub = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _stub = builder.Build();
        _stub.Run(context => context.Response.WriteAsync($"saw {context.Request.Method} {context.Request.Path}"));
        await _stub.StartAsync();
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private WebApplicationFactory<Program> Gateway(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Auth:Issuer", "http://127.0.0.1:9/api/identity");
            b.UseSetting("Auth:Audience", "mitreden-gateway");
            // Small write buckets that do not refill within the test; everything else far away.
            foreach (var kind in new[] { "VotesPerUser", "VotesPerAddress", "CommentsPerUser", "CommentsPerAddress" })
            {
                b.UseSetting($"Gateway:RateLimits:{kind}PerMinute", "1");
                b.UseSetting($"Gateway:RateLimits:{kind}Burst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            b.UseSetting("Gateway:RateLimits:CredentialsPerMinute", "1");
            var address = _stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            foreach (var cluster in GatewayModule.Clusters)
            {
                b.UseSetting($"Services:{cluster}", address);
            }
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    private static async Task<List<HttpStatusCode>> PostAsync(HttpClient client, string pathAndQuery, int times)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            using var response = await client.PostAsync(pathAndQuery, new FormUrlEncodedContent([]));
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }

    public static TheoryData<string> WebForms => new()
    {
        Ballot, Item + "?handler=comment", Item + "?handler=reply", Item + "?handler=report", Item + "?handler=EditComment",
    };

    [Theory]
    [MemberData(nameof(WebForms))]
    public async Task WebForm_PostsBeyondTheBurst_AreRefused(string form)
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var statuses = await PostAsync(client, form, Burst + 1);

        statuses.Take(Burst).Should().OnlyContain(s => s == HttpStatusCode.OK);
        statuses[Burst].Should().Be(HttpStatusCode.TooManyRequests, $"{form} is a write form of the web");
    }

    public static TheoryData<string> NotWrites => new()
    {
        Ballot + "?handler=move",                               // reorders a ranking, casts nothing
        Item + "?handler=upvote",
        "/irgendwo/55555555-5555-5555-5555-555555555555",       // a path no route names
        "/abstimmungen/keine-guid",
        "/konto/anmelden",                                      // Identity limits its own forms
        "/abstimmungscode",
    };

    [Theory]
    [MemberData(nameof(NotWrites))]
    public async Task OtherPost_IsNotWriteLimited(string pathAndQuery)
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var statuses = await PostAsync(client, pathAndQuery, Burst + 3);

        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK);
    }

    [Fact]
    public async Task RouteAddedByConfiguration_IsLimited_WithoutACodeChange()
    {
        const string route = "ReverseProxy:Routes:web-renamed-ballot:";
        await using var gateway = Gateway(
            (route + "ClusterId", "web"), (route + "Order", "90"), (route + "AuthorizationPolicy", "anonymous"),
            (route + "Match:Path", "/umfragen/{id:guid}"), (route + "Match:Methods:0", "POST"),
            (route + "Metadata:WriteLimit", "vote"), (route + "Metadata:WriteLimitHandlers", "(default)"));
        using var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var statuses = await PostAsync(client, "/umfragen/55555555-5555-5555-5555-555555555555", Burst + 1);

        statuses[Burst].Should().Be(HttpStatusCode.TooManyRequests);
        (await PostAsync(client, "/umfragen/55555555-5555-5555-5555-555555555555?handler=move", 1))
            .Should().Equal(HttpStatusCode.OK);
    }

    [Fact]
    public void RouteNamingAnUnknownKind_FailsTheStart()
    {
        const string route = "ReverseProxy:Routes:web-ballot-vote:";
        using var gateway = Gateway((route + "Metadata:WriteLimit", "votes"));

        var start = () => gateway.CreateClient();

        start.Should().Throw<InvalidOperationException>().WithMessage("*web-ballot-vote*votes*");
    }

    [Theory]
    [InlineData("voting-cast", "vote")]
    [InlineData("comments-post", "comment")]
    [InlineData("comments-report", "comment")]
    [InlineData("comments-edit", "comment")]
    [InlineData("web-ballot-vote", "vote")]
    [InlineData("web-item-comment", "comment")]
    public void ApiAndWebWriteRoutes_NameTheirKind(string routeId, string kind)
    {
        using var gateway = Gateway();
        gateway.CreateClient().Dispose();

        var routes = gateway.Services.GetRequiredService<IProxyStateLookup>().GetRoutes();

        routes.Single(r => r.Config.RouteId == routeId).Config.Metadata.Should().Contain(WriteLimit.KindKey, kind);
    }
}
