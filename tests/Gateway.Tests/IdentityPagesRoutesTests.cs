using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mitreden.Gateway.Tests;

/// <summary>
/// Identity's browser pages (sign-in, voting code, registration, confirmation, password reset, letter code) are reached
/// under their public paths and go to Identity, not the web; their form posts are limited by Identity alone, not here.
/// Checked through the real gateway against stubs.
/// </summary>
public sealed class IdentityPagesRoutesTests : IAsyncLifetime
{
    private WebApplication _identity = null!;
    private WebApplication _others = null!;

    public static TheoryData<string> Pages => new()
    {
        "/konto/anmelden", "/abstimmungscode", "/konto/registrieren", "/konto/email-bestaetigen", "/konto/passwort-vergessen",
        "/konto/passwort-zuruecksetzen", "/konto/wohnsitz",
    };

    public async Task InitializeAsync()
    {
        _identity = await StubAsync("identity");
        _others = await StubAsync("other");
    }

    public async Task DisposeAsync()
    {
        await _identity.DisposeAsync();
        await _others.DisposeAsync();
    }

    private static async Task<WebApplication> StubAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var stub = builder.Build();
        stub.Run(context => context.Response.WriteAsync($"{name} saw {context.Request.Method} {context.Request.Path}"));
        await stub.StartAsync();
        return stub;
    }

    private static string Address(WebApplication stub) =>
        stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private WebApplicationFactory<Program> Gateway(int credentialsPerMinute) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Auth:Issuer", "http://127.0.0.1:9/api/identity");
            b.UseSetting("Auth:Audience", "mitreden-gateway");
            b.UseSetting("Gateway:RateLimits:CredentialsPerMinute", credentialsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var cluster in GatewayModule.Clusters)
            {
                b.UseSetting($"Services:{cluster}", Address(cluster == "identity" ? _identity : _others));
            }
        });

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_GetAndPost_GoToIdentityUnderThePublicPath(string path)
    {
        await using var gateway = Gateway(credentialsPerMinute: 100);
        using var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        (await client.GetStringAsync(path + "?returnUrl=%2Fkonto")).Should().Be($"identity saw GET {path}");
        using var post = await client.PostAsync(path, new FormUrlEncodedContent([]));
        (await post.Content.ReadAsStringAsync()).Should().Be($"identity saw POST {path}");
    }

    [Fact]
    public async Task WebPages_NextToIdentitysPages_StayTheWebs()
    {
        await using var gateway = Gateway(credentialsPerMinute: 100);
        using var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        (await client.GetStringAsync("/konto")).Should().Be("other saw GET /konto");
        (await client.GetStringAsync("/konto/daten")).Should().Be("other saw GET /konto/daten");
        (await client.GetStringAsync("/anmelden")).Should().Be("other saw GET /anmelden");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PagePosts_FromOneAddress_AreLeftToIdentitysOwnLimits(string path)
    {
        // Identity limits its forms itself (Identity:Limits); a count here as well would be a second limit with other
        // numbers. So even a credentials bucket of one per minute refuses none of them.
        await using var gateway = Gateway(credentialsPerMinute: 1);
        using var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var i = 0; i < 4; i++)
        {
            using var post = await client.PostAsync(path, new FormUrlEncodedContent([]));
            (await post.Content.ReadAsStringAsync()).Should().Be($"identity saw POST {path}", $"post {i + 1} reaches Identity");
        }
    }
}
