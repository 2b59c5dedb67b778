using Mitreden.ServiceDefaults.Configuration;
using RabbitMQ.Client;

namespace Mitreden.Voting.Api.Features.Votes;

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

    public ConnectionFactory CreateFactory(string name, bool automaticRecovery) => new()
    {
        Uri = new Uri(configuration.GetRequiredConnectionString("rabbitmq")),
        ClientProvidedName = $"mitreden-voting-{name}-{Environment.MachineName}",
        AutomaticRecoveryEnabled = automaticRecovery,
        TopologyRecoveryEnabled = automaticRecovery,
        RequestedHeartbeat = TimeSpan.FromSeconds(10),
        RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
    };

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
