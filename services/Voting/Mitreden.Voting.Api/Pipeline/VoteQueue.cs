using Mitreden.ServiceDefaults.Configuration;
using RabbitMQ.Client;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>
/// The votes queue and its error queue, both durable quorum queues, used with RabbitMQ.Client directly
/// (MassTransit's Send would redeclare a quorum queue as classic). A message the broker itself gives up on
/// (delivery limit) is dead-lettered into the error queue too.
/// </summary>
public sealed class VoteQueue(IConfiguration configuration, VotingOptions options)
{
    public const string ReasonHeader = "x-mitreden-reason";
    public const int DeliveryLimit = 50;

    public string Votes => options.VotesQueue;
    public string Errors => options.ErrorQueue;

    /// <summary>
    /// The nodes of a RabbitMQ cluster ("host:port,host:port", optional): connections (and their recovery) go to
    /// any of them in random order, with the credentials and virtual host of ConnectionStrings:rabbitmq.
    /// </summary>
    public const string NodesKey = Mitreden.ServiceDefaults.Messaging.RabbitMqAddress.NodesKey;

    public ConnectionFactory CreateFactory(string name, bool automaticRecovery)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(configuration.GetRequiredConnectionString("rabbitmq")),
            ClientProvidedName = $"mitreden-voting-{name}-{Environment.MachineName}",
            AutomaticRecoveryEnabled = automaticRecovery,
            TopologyRecoveryEnabled = automaticRecovery,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        var nodes = ParseNodes(configuration[NodesKey]);
        if (nodes.Count > 0)
        {
            factory.EndpointResolverFactory = _ => new AnyNode(nodes);
        }
        return factory;
    }

    /// <summary>"host:port,host:port" (port 5672 when left out) → endpoints; empty for null or blank.</summary>
    public static IReadOnlyList<AmqpTcpEndpoint> ParseNodes(string? nodes) =>
        Mitreden.ServiceDefaults.Messaging.RabbitMqAddress.ParseNodes(nodes).Select(n => new AmqpTcpEndpoint(n.Host, n.Port)).ToList();

    private sealed class AnyNode(IReadOnlyList<AmqpTcpEndpoint> nodes) : IEndpointResolver
    {
        public IEnumerable<AmqpTcpEndpoint> All() => nodes.OrderBy(_ => Random.Shared.Next()).ToList();
    }

    public async Task DeclareAsync(IChannel channel, CancellationToken ct)
    {
        await channel.QueueDeclareAsync(Errors, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: ct);
        await channel.QueueDeclareAsync(Votes, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-delivery-limit"] = DeliveryLimit,
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = Errors,
            }, cancellationToken: ct);
    }
}
