using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Http;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Http;

/// <summary>A wrong Http setting stops the start with a message naming the key (a typo in a proxy network would otherwise be found at the first request).</summary>
public sealed class HttpSettingsTests
{
    [Theory]
    [InlineData("Http:MaxRequestBodyBytes", "0", "Http:MaxRequestBodyBytes")]
    [InlineData("Http:TrustedProxyNetworks:0", "10.42.0.0/99", "Http:TrustedProxyNetworks")]
    public async Task Start_InvalidHttpSetting_RefusesToStartNamingTheKey(string key, string value, string named)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddHttpDefaults();
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<Exception>()).Which;
        ExceptionMessages.Of(failure).Should().Contain(named);
    }
}
