using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.ServiceDefaults.Configuration;

namespace Mitreden.ServiceDefaults.Messaging;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ with durable quorum queues, kebab-case endpoint names, retry with backoff and
    /// error queues. <paramref name="configure"/> registers the service's consumers.
    /// </summary>
    /// <param name="endpointPrefix">
    /// Prefix of every receive endpoint (queue) name, normally the service name. Two services consuming the same
    /// event must have their own queues; without a prefix, consumers of the same class name would share one.
    /// </param>
    public static IServiceCollection AddMitredenBus(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? configure = null, string? endpointPrefix = null)
    {
        var rabbit = RabbitMqAddress.Parse(configuration.GetRequiredConnectionString("rabbitmq"));
        var nodes = RabbitMqAddress.ParseNodes(configuration[RabbitMqAddress.NodesKey]);
        services.AddSingleton(rabbit);
        services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(endpointPrefix, false));
            // MassTransit 8.4+ reports usage to its vendor over the internet unless told not to: a city's platform
            // sends nothing anywhere it was not configured to.
            x.ConfigureUsageTelemetryOptions(o => o.Enabled = false);
            configure?.Invoke(x);
            x.AddConfigureEndpointsCallback((_, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                {
                    rabbitEndpoint.SetQuorumQueue();
                }
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                    h.PublisherConfirmation = true;
                    h.Heartbeat(TimeSpan.FromSeconds(10));
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
                    if (nodes.Count > 0)
                    {
                        // A RabbitMQ cluster: (re)connect to any node that is up, not only the one in the URI.
                        h.UseCluster(c =>
                        {
                            foreach (var (host, port) in nodes)
                            {
                                c.Node($"{host}:{port}");
                            }
                        });
                    }
                });
                cfg.UseMessageRetry(r => r.Exponential(6, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(300)));
                cfg.UseConsumeFilter(typeof(CorrelationConsumeFilter<>), context);
                cfg.UsePublishFilter(typeof(CorrelationPublishFilter<>), context);
                cfg.UseSendFilter(typeof(CorrelationPublishFilter<>), context);
                cfg.ConfigureEndpoints(context);
                // The migrations job (MigrateDatabaseAsync) declares every queue, exchange and binding of this
                // service's consumers and consumes nothing: events published before the service first starts wait in
                // its queues instead of being dropped by an exchange nobody is bound to.
                cfg.DeployTopologyOnly = MigrationJob.IsRequested(configuration);
            });
        });
        services.Configure<MassTransitHostOptions>(o =>
        {
            // The host is not started until the bus is: a publish right after start would otherwise go nowhere
            // (a probe lost 579 of 2,000 messages published straight after start without it).
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }
}

/// <summary>The process is the migrations job (<c>--migrate-only</c>): migrate, deploy the bus topology, exit.</summary>
public static class MigrationJob
{
    public const string Argument = "--migrate-only";

    /// <summary>Exit code of a job whose topology deployment timed out (EX_TEMPFAIL: run it again).</summary>
    public const int ExitDeployTimedOut = 75;

    /// <summary><c>--migrate-only</c> among the process's arguments, or <c>Database:MigrateOnly</c> = true.</summary>
    public static bool IsRequested(IConfiguration configuration, IEnumerable<string>? args = null) =>
        (args ?? Environment.GetCommandLineArgs()).Contains(Argument) || configuration.GetValue("Database:MigrateOnly", false);

    /// <summary>How long the topology deployment may take before the job gives up (and is run again).</summary>
    public static readonly TimeSpan DeployTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Declares the bus topology of this service's consumers (needs <c>DeployTopologyOnly</c>, see AddMitredenBus).
    /// MassTransit's DeployAsync (start, then stop) now and then never returns when the stop meets a start that is not
    /// yet complete, and it does not always heed its token then: a CI run hung there for an hour. The wait is therefore
    /// bounded here; past <paramref name="timeout"/> it throws <see cref="TimeoutException"/>, the job exits with an
    /// error and is run again (by ./mitreden, or by Kubernetes' job retries).
    /// </summary>
    public static async Task DeployBusTopologyAsync(IServiceProvider services, CancellationToken ct, TimeSpan? timeout = null)
    {
        if (services.GetService<IBusControl>() is { } bus)
        {
            await bus.DeployAsync(ct).WaitAsync(timeout ?? DeployTimeout, ct);
        }
    }
}

public static class ServiceNames
{
    /// <summary>"Mitreden.Voting.Api" → "voting": the short name used for queues and audiences.</summary>
    public static string FromApplicationName(string applicationName)
    {
        var parts = applicationName.Split('.');
        return (parts.Length >= 2 && parts[0] == "Mitreden" ? parts[1] : applicationName).ToLowerInvariant();
    }
}

/// <summary>An <c>amqp://user:password@host:port/vhost</c> connection string, parsed once at start.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    /// <summary>The nodes of a RabbitMQ cluster, "host:port,host:port"; credentials and vhost come from the URI.</summary>
    public const string NodesKey = "RabbitMq:Nodes";

    /// <summary>"host:port,host:port" (port 5672 when left out) → nodes; empty for null or blank.</summary>
    public static IReadOnlyList<(string Host, int Port)> ParseNodes(string? nodes) =>
        (nodes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(node =>
            {
                var colon = node.LastIndexOf(':');
                return colon < 0
                    ? (node, 5672)
                    : int.TryParse(node[(colon + 1)..], out var port) && port is > 0 and < 65536 && colon > 0
                        ? (node[..colon], port)
                        : throw new InvalidOperationException($"{NodesKey}: '{node}' is not host:port.");
            })
            .ToList();

    public static RabbitMqAddress Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "rabbitmq"))
        {
            throw new InvalidOperationException("ConnectionStrings:rabbitmq must be an amqp://user:password@host:port/vhost URI.");
        }
        var user = "guest";
        var password = "guest";
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(uri.Host, (ushort)(uri.IsDefaultPort || uri.Port <= 0 ? 5672 : uri.Port),
            vhost.Length == 0 ? "/" : vhost, user, password);
    }
}
