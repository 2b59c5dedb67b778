using Yarp.ReverseProxy.Configuration;

namespace Mitreden.Gateway;

/// <summary>
/// A route's write limit, from its metadata: <c>WriteLimit</c> names the kind (vote, comment, credentials);
/// <c>WriteLimitHandlers</c>, for a Razor page, lists the handlers (query <c>handler</c>, case-insensitive,
/// comma-separated; <see cref="DefaultHandler"/> for the page's post without a handler) that count — other handlers of
/// the page (e.g. reordering a ranking) do not. Without <c>WriteLimitHandlers</c> every request of the route counts.
/// </summary>
internal sealed class WriteLimit
{
    public const string KindKey = "WriteLimit";
    public const string HandlersKey = "WriteLimitHandlers";
    public const string DefaultHandler = "(default)";

    private static readonly WriteLimit Nothing = new(RateLimits.WriteKinds.None, null);

    private readonly RateLimits.WriteKinds _kind;
    private readonly HashSet<string>? _handlers;

    private WriteLimit(RateLimits.WriteKinds kind, HashSet<string>? handlers)
    {
        _kind = kind;
        _handlers = handlers;
    }

    /// <summary>The route's limit; throws on a kind that does not exist or handlers without a kind.</summary>
    public static WriteLimit Of(RouteConfig route)
    {
        var metadata = route.Metadata;
        string? kindName = null;
        string? handlers = null;
        metadata?.TryGetValue(KindKey, out kindName);
        metadata?.TryGetValue(HandlersKey, out handlers);
        if (string.IsNullOrWhiteSpace(kindName))
        {
            return handlers is null
                ? Nothing
                : throw new InvalidOperationException($"Route '{route.RouteId}': {HandlersKey} without {KindKey}.");
        }
        var kind = kindName.Trim().ToLowerInvariant() switch
        {
            "vote" => RateLimits.WriteKinds.Vote,
            "comment" => RateLimits.WriteKinds.Comment,
            "credentials" => RateLimits.WriteKinds.Credentials,
            _ => throw new InvalidOperationException(
                $"Route '{route.RouteId}': {KindKey} '{kindName}' is none of vote, comment, credentials."),
        };
        var set = handlers?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (set is { Count: 0 })
        {
            throw new InvalidOperationException($"Route '{route.RouteId}': {HandlersKey} is empty (use {DefaultHandler}).");
        }
        return new WriteLimit(kind, set);
    }

    /// <summary>The kind this request counts as on the route (None for a handler that does not write).</summary>
    public RateLimits.WriteKinds KindOf(HttpRequest request)
    {
        if (_kind == RateLimits.WriteKinds.None || _handlers is null)
        {
            return _kind;
        }
        var handler = request.Query["handler"].ToString();
        return _handlers.Contains(handler.Length == 0 ? DefaultHandler : handler) ? _kind : RateLimits.WriteKinds.None;
    }
}
