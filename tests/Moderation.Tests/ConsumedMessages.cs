using System.Collections.Concurrent;
using MassTransit;

namespace Mitreden.Moderation.Tests;

/// <summary>
/// Counts, per message id, how often the service under test has finished consuming a message (successfully or not), so a
/// test can wait for "every message I sent has been handled" instead of sleeping.
/// </summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _handled = new();

    public int Count(Guid messageId) => _handled.TryGetValue(messageId, out var count) ? count : 0;

    /// <summary>Waits until each id has been handled as often as it appears in <paramref name="messageIds"/>.</summary>
    public Task WaitForAsync(params Guid[] messageIds) =>
        Mitreden.TestKit.Eventually.TrueAsync(
            () => Task.FromResult(messageIds.GroupBy(id => id).All(g => Count(g.Key) >= g.Count())),
            TimeSpan.FromSeconds(30), $"the service did not handle the messages {string.Join(", ", messageIds)}");

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Handled(context);

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Handled(context);

    private Task Handled(ConsumeContext context)
    {
        if (context.MessageId is { } id)
        {
            _handled.AddOrUpdate(id, 1, (_, count) => count + 1);
        }
        return Task.CompletedTask;
    }
}
