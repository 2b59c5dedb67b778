using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>
/// Caches successful validations, keyed by the SHA-256 of the token string, until min(exp, now + max lifetime).
/// Bounded: when full, expired entries are purged, and if that is not enough the cache is cleared (entries are
/// cheap to rebuild). Failures are never cached. One cache per validator (it does not key on issuer/audience).
/// </summary>
public sealed class ValidatedTokenCache
{
    public const int DefaultMaxEntries = 100_000;

    private readonly ConcurrentDictionary<TokenHash, Entry> _entries = new();
    private readonly Lock _purgeLock = new();
    private int _count;

    public ValidatedTokenCache(int maxEntries = DefaultMaxEntries, TimeSpan? maxLifetime = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        MaxEntries = maxEntries;
        MaxLifetime = maxLifetime ?? TimeSpan.FromSeconds(60);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxLifetime, TimeSpan.Zero, nameof(maxLifetime));
    }

    public int MaxEntries { get; }

    public TimeSpan MaxLifetime { get; }

    /// <summary>Approximate number of entries.</summary>
    public int Count => Volatile.Read(ref _count);

    internal static TokenHash Hash(string token)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(token.AsSpan()), digest);
        var words = MemoryMarshal.Cast<byte, ulong>(digest);
        return new TokenHash(words[0], words[1], words[2], words[3]);
    }

    internal bool TryGet(in TokenHash key, DateTimeOffset now, out Entry entry)
    {
        if (_entries.TryGetValue(key, out entry!))
        {
            if (now < entry.CachedUntil)
            {
                return true;
            }

            if (_entries.TryRemove(new KeyValuePair<TokenHash, Entry>(key, entry)))
            {
                Interlocked.Decrement(ref _count);
            }
        }

        entry = null!;
        return false;
    }

    internal void Add(in TokenHash key, Claim[] claims, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var until = expiresAt < now + MaxLifetime ? expiresAt : now + MaxLifetime;
        if (until <= now)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= MaxEntries)
        {
            MakeRoom(now);
            if (Volatile.Read(ref _count) >= MaxEntries)
            {
                return;
            }
        }

        if (_entries.TryAdd(key, new Entry(claims, expiresAt, until)))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void Clear()
    {
        lock (_purgeLock)
        {
            _entries.Clear();
            Volatile.Write(ref _count, 0);
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (!_purgeLock.TryEnter())
        {
            return; // another thread is purging; this entry is simply not cached
        }

        try
        {
            foreach (var pair in _entries)
            {
                if (pair.Value.CachedUntil <= now)
                {
                    _entries.TryRemove(pair);
                }
            }

            if (_entries.Count >= MaxEntries * 9L / 10)
            {
                _entries.Clear();
            }

            Volatile.Write(ref _count, _entries.Count);
        }
        finally
        {
            _purgeLock.Exit();
        }
    }

    internal readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D);

    internal sealed record Entry(Claim[] Claims, DateTimeOffset ExpiresAt, DateTimeOffset CachedUntil);
}
