using MassTransit;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Observability;

namespace Mitreden.ServiceDefaults.Messaging;

/// <summary>Stamps the current correlation id on every outgoing message.</summary>
public sealed class CorrelationPublishFilter<T> : IFilter<PublishContext<T>>, IFilter<SendContext<T>> where T : class
{
    public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public Task Send(SendContext<T> context, IPipe<SendContext<T>> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    private static void Stamp(SendContext context)
    {
        if (CorrelationContext.Id is { } id && !context.Headers.TryGetHeader(CorrelationMiddleware.HeaderName, out _))
        {
            context.Headers.Set(CorrelationMiddleware.HeaderName, id);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("mitreden-correlation");
}

/// <summary>Restores the correlation id of an incoming message for the consumer and its log lines.</summary>
public sealed class CorrelationConsumeFilter<T>(ILogger<CorrelationConsumeFilter<T>> logger) : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var id = context.Headers.Get<string>(CorrelationMiddleware.HeaderName);
        if (!CorrelationContext.IsValid(id))
        {
            id = context.MessageId?.ToString("N") ?? Guid.NewGuid().ToString("N");
        }
        using var _ = CorrelationContext.Begin(id!);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["CorrelationId"] = id!,
            ["MessageId"] = context.MessageId?.ToString() ?? "",
            ["MessageType"] = typeof(T).Name,
        });
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("mitreden-correlation");
}
