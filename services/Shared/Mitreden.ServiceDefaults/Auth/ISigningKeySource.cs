namespace Mitreden.ServiceDefaults.Auth;

/// <summary>Where the validator gets public signing keys from.</summary>
public interface ISigningKeySource
{
    /// <summary>Looks a key up in the keys currently held. Never blocks, never does I/O.</summary>
    JsonWebKey? FindKey(string keyId);

    /// <summary>
    /// Like <see cref="FindKey"/>, but an unknown kid may trigger a (rate-limited) refresh of the keys before giving up.
    /// </summary>
    ValueTask<JsonWebKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>
/// In-process key source: keys given directly (tests, and Identity validating its own tokens).
/// <see cref="Update"/> swaps the whole set atomically (key rotation).
/// </summary>
public sealed class StaticSigningKeySource : ISigningKeySource
{
    private volatile JsonWebKeySet _keys;

    public StaticSigningKeySource(JsonWebKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    public JsonWebKeySet Keys => _keys;

    public void Update(JsonWebKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    public JsonWebKey? FindKey(string keyId) => _keys.Find(keyId);

    public ValueTask<JsonWebKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken) => ValueTask.FromResult(FindKey(keyId));
}
