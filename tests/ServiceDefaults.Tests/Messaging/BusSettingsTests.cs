using FluentAssertions;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults.Messaging;
using Xunit;

namespace Mitreden.ServiceDefaults.Tests.Messaging;

public sealed class BusSettingsTests
{
    private static ServiceProvider Bus()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = "amqp://u:p@127.0.0.1:5999/x" })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddMitredenBus(configuration, endpointPrefix: "test");
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddMitredenBus_Always_TurnsMassTransitUsageTelemetryOff()
    {
        using var provider = Bus();
        provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled.Should().BeFalse();
    }

    [Fact]
    public void AddMitredenBus_Always_StartsTheHostOnlyOnceTheBusRuns()
    {
        using var provider = Bus();
        provider.GetRequiredService<IOptions<MassTransitHostOptions>>().Value.WaitUntilStarted.Should().BeTrue();
    }
}
