using System.Collections.Concurrent;
using FluentAssertions;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.ServiceDefaults.Tests.Messaging;

public record ItemAnnounced(Guid RunId, int Number);

public sealed class ItemAnnouncedConsumer : IConsumer<ItemAnnounced>
{
    public static readonly ConcurrentDictionary<(Guid, int), int> Deliveries = new();

    public Task Consume(ConsumeContext<ItemAnnounced> context)
    {
        Deliveries.AddOrUpdate((context.Message.RunId, context.Message.Number), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A service that has never run (first deployment, or a service added later) must not miss what others publish
/// before it starts: its migrations job declares its queues and bindings (plain pub/sub drops a message that no
/// queue is bound for).
/// </summary>
public sealed class TopologyDeploymentTests : IAsyncLifetime
{
    private TestVirtualHost _vhost = null!;
    private readonly List<IHost> _hosts = [];
    private readonly Guid _run = Guid.NewGuid();

    public async Task InitializeAsync() => _vhost = await TestVirtualHost.CreateAsync("topology");

    public async Task DisposeAsync()
    {
        // Stopped, not disposed (see OutboxTests).
        foreach (var host in _hosts)
        {
            await host.StopAsync(TimeSpan.FromSeconds(10));
        }
        await _vhost.DisposeAsync();
    }

    /// <summary>A service host: "voting" consumes ItemAnnounced, "proposals" only publishes.</summary>
    private IHost BuildHost(string service, bool migrateOnly = false, string? amqpUri = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = amqpUri ?? _vhost.AmqpUri,
            ["Database:MigrateOnly"] = migrateOnly ? "true" : "false",
        });
        builder.Services.AddMitredenBus(builder.Configuration, bus =>
        {
            if (service == "voting")
            {
                bus.AddConsumer<ItemAnnouncedConsumer>();
            }
        }, service);
        var host = builder.Build();
        _hosts.Add(host);
        return host;
    }

    private async Task<IHost> StartHostAsync(string service)
    {
        var host = BuildHost(service);
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }

    private int DeliveriesOf(int number) => ItemAnnouncedConsumer.Deliveries.GetValueOrDefault((_run, number));

    [Fact]
    public async Task DeployBusTopology_BrokerNeverAnswers_ThrowsTimeoutInsteadOfHanging()
    {
        // A port that accepts connections and never speaks AMQP: the deployment cannot finish. The job must give up
        // after its bound (and exit to be run again), not wait for ever as a CI run once did.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new ConcurrentBag<System.Net.Sockets.TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    accepted.Add(await silent.AcceptTcpClientAsync());
                }
                catch (Exception ex) when (ex is ObjectDisposedException or System.Net.Sockets.SocketException)
                {
                    return;
                }
            }
        });
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var builder = new UriBuilder(_vhost.AmqpUri) { Port = port };
        var job = BuildHost("voting", migrateOnly: true, amqpUri: builder.Uri.ToString());
        _hosts.Remove(job);   // never started: nothing to stop

        var deploy = MigrationJob.DeployBusTopologyAsync(job.Services, CancellationToken.None, TimeSpan.FromSeconds(3));
        var finished = await Task.WhenAny(deploy, Task.Delay(TimeSpan.FromSeconds(60)));

        finished.Should().BeSameAs(deploy, "the bounded deployment must end on its own");
        await deploy.Invoking(d => d).Should().ThrowAsync<TimeoutException>();
        accepted.Should().NotBeEmpty("the job did try the broker");
        foreach (var client in accepted)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task DeployBusTopology_ConsumerNeverRan_EventsPublishedMeanwhileConsumedOnceItStarts()
    {
        // Voting's migrations job: declares Voting's queue and binding, consumes nothing, ends.
        // As in production, a deployment that timed out is run again (the job exits 75 and ./mitreden or Kubernetes
        // reruns it): MassTransit's DeployAsync now and then never returns (see MigrationJob.DeployBusTopologyAsync).
        IHost job;
        for (var attempt = 1; ; attempt++)
        {
            job = BuildHost("voting", migrateOnly: true);
            try
            {
                await MigrationJob.DeployBusTopologyAsync(job.Services, CancellationToken.None, TimeSpan.FromSeconds(30));
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
        await job.Services.GetRequiredService<IBusControl>().StopAsync(TimeSpan.FromSeconds(10));
        (await _vhost.QueueNamesAsync()).Should().Contain(q => q.StartsWith("voting") && q.EndsWith("item-announced"));

        // Proposals publishes while Voting has never run.
        var proposals = await StartHostAsync("proposals");
        var publisher = proposals.Services.GetRequiredService<IBus>();
        for (var number = 1; number <= 5; number++)
        {
            await publisher.Publish(new ItemAnnounced(_run, number));
        }
        await Task.Delay(300);
        DeliveriesOf(1).Should().Be(0, "no consumer has run yet");

        await StartHostAsync("voting");

        await Eventually.AssertAsync(() =>
        {
            Enumerable.Range(1, 5).Select(DeliveriesOf).Should().Equal(1, 1, 1, 1, 1);
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(30));
    }
}
