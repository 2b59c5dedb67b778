using FluentAssertions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Mitreden.TestKit;

namespace Mitreden.Gateway.Tests;

/// <summary>A wrong limit stops the gateway's start with a message naming the key, instead of a gateway that refuses everyone.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Gateway:RateLimits:VotesPerAddressBurst", "0", "Gateway:RateLimits:VotesPerAddressBurst")]
    [InlineData("Gateway:RateLimits:PerClientPerSecond", "-5", "Gateway:RateLimits:PerClientPerSecond")]
    [InlineData("Gateway:MaxRequestBodyBytes", "0", "Gateway:MaxRequestBodyBytes")]
    [InlineData("Gateway:LargeBodies:0:MaxBytes", "0", "Gateway:LargeBodies")]
    public async Task Start_InvalidSetting_RefusesToStartNamingTheKey(string key, string value, string named)
    {
        await using var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Auth:Issuer", "http://127.0.0.1:9/api/identity");
            b.UseSetting("Auth:Audience", "mitreden-gateway");
            foreach (var cluster in GatewayModule.Clusters)
            {
                b.UseSetting($"Services:{cluster}", "http://127.0.0.1:9");
            }
            b.UseSetting(key, value);
        });

        var start = () => gateway.CreateClient();

        var failure = start.Should().Throw<Exception>().Which;
        ExceptionMessages.Of(failure).Should().Contain(named);
    }
}
