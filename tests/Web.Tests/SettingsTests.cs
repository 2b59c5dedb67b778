using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mitreden.Web.Api;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Tests;

/// <summary>A wrong or missing web setting stops the start with a message naming the key.</summary>
public sealed class SettingsTests
{
    public static TheoryData<string, string, string, Action<IServiceCollection>> Wrong => new()
    {
        { "Web:ClientSecret", " ", "Web:ClientSecret", s => WebSignInOptions.Add(s) },
        { "Web:BackendAttemptTimeout", "00:00:00", "Web:BackendAttemptTimeout", s => BackendOptions.Add(s) },
        { "Web:BackendTimeout", "00:00:01", "Web:BackendTimeout", s => BackendOptions.Add(s) },
        { "Web:SessionIdleTimeout", "00:00:10", "Web:SessionIdleTimeout", s => SessionStoreOptions.Add(s) },
    };

    [Theory]
    [MemberData(nameof(Wrong))]
    public async Task Start_InvalidSetting_RefusesToStartNamingTheKey(string key, string value, string named, Action<IServiceCollection> add)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Web:ClientSecret"] = "geheim", [key] = value });
        add(builder.Services);
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain(named);
    }
}
