using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Data;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Messaging;

/// <summary>A wrong outbox setting stops the start with a message naming the key, instead of a dispatcher that spins or never sends.</summary>
public sealed class OutboxSettingsTests
{
    [Theory]
    [InlineData("Outbox:BatchSize", "0")]
    [InlineData("Outbox:PollInterval", "00:00:00")]
    [InlineData("Outbox:MaxBackoff", "00:00:00.001")]
    [InlineData("Outbox:Retention", "-1.00:00:00")]
    public async Task Start_InvalidOutboxSetting_RefusesToStartNamingTheKey(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Never connected to: the start stops before any hosted service runs.
            ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=9;Database=none",
            [key] = value,
        });
        builder.AddMitredenDatabase<ProbeDb>();
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<Exception>()).Which;
        ExceptionMessages.Of(failure).Should().Contain(key);
    }
}
