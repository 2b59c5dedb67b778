using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Mitreden.Identity.Api.Data;

namespace Mitreden.Identity.Api.Features.Keys;

/// <summary>
/// Identity's signing keys in memory: the published public keys (JWKS, and the keys Identity validates its
/// own tokens with) and the private keys that may sign. The database is the truth; every instance reloads it
/// periodically and when a token names a kid it does not know yet (another instance rotated).
/// </summary>
public sealed class SigningKeyRing(IServiceScopeFactory scopes, IdentitySecrets secrets, TimeProvider time, ILogger<SigningKeyRing> logger)
    : IDisposable
{
    /// <summary>The longest lifetime of any token Identity signs (test voters; access tokens have 10 minutes).</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromMinutes(60);

    /// <summary>A retired key stays published this long: every token it signed has expired by then (with clock skew).</summary>
    public static readonly TimeSpan PublishAfterRetirement = MaxTokenLifetime + TimeSpan.FromMinutes(5);

    private static readonly TimeSpan OnDemandReloadInterval = TimeSpan.FromSeconds(5);

    private volatile Snapshot _snapshot = Snapshot.Empty;
    private long _lastOnDemandReload = long.MinValue;

    public SigningKeySet PublishedKeys => _snapshot.Published;

    /// <summary>The kid that signs now, or null when no key is usable (not loaded yet).</summary>
    public string? ActiveKeyId => ActiveSigner(time.GetUtcNow())?.Kid;

    /// <summary>
    /// The key a token names, for validating Identity's own tokens. An unknown kid starts a reload in the background
    /// (another instance may have rotated); the token is refused now, a later one with that kid is accepted.
    /// </summary>
    public IEnumerable<SecurityKey> ResolveKeys(string? keyId)
    {
        if (_snapshot.Published.Find(keyId) is { } known)
        {
            return [known];
        }

        _ = ReloadForUnknownKeyAsync();
        return [];
    }

    private async Task ReloadForUnknownKeyAsync()
    {
        // Flood protection: tokens with made-up kids must not turn into database queries.
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastOnDemandReload);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < OnDemandReloadInterval)
        {
            return;
        }
        if (Interlocked.CompareExchange(ref _lastOnDemandReload, now, last) != last)
        {
            return;
        }

        try
        {
            await ReloadAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Reloading signing keys for an unknown kid failed");
        }
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var cutoff = time.GetUtcNow() - PublishAfterRetirement;
        var rows = await db.SigningKeys.AsNoTracking().Where(k => k.RetiresAt > cutoff).ToListAsync(cancellationToken);
        Apply(rows);
    }

    /// <summary>Replaces the in-memory keys with <paramref name="rows"/> (keys already decrypted are reused).</summary>
    public void Apply(IEnumerable<SigningKey> rows)
    {
        var now = time.GetUtcNow();
        var current = _snapshot;
        var published = new List<(string, RSAParameters)>();
        var signers = new List<SignerKey>();
        foreach (var row in rows.OrderByDescending(r => r.ActivatesAt).ThenByDescending(r => r.Kid, StringComparer.Ordinal))
        {
            if (row.RetiresAt + PublishAfterRetirement <= now)
            {
                continue;
            }
            using (var rsa = RSA.Create())
            {
                rsa.ImportSubjectPublicKeyInfo(row.PublicKey, out _);
                published.Add((row.Kid, rsa.ExportParameters(false)));
            }
            if (row.RetiresAt > now)
            {
                var existing = current.Signers.FirstOrDefault(s => s.Kid == row.Kid);
                signers.Add(existing is not null && existing.ActivatesAt == row.ActivatesAt
                    ? existing.WithRetirement(row.RetiresAt)
                    : new SignerKey(row.Kid, row.ActivatesAt, row.RetiresAt, Decrypt(row)));
            }
        }
        _snapshot = new Snapshot(new SigningKeySet(published), signers);
    }

    private byte[] Decrypt(SigningKey row)
    {
        try
        {
            return KeyProtector.Decrypt(secrets.KeyEncryptionKey, row.EncryptedPrivateKey, row.Kid);
        }
        catch (CryptographicException ex)
        {
            // Deliberately no new key: instances with different secrets would otherwise out-rotate each other forever.
            throw new InvalidOperationException(
                $"Signing key '{row.Kid}' cannot be decrypted: {IdentitySettings.KeyEncryptionKeyName} is not the secret it was encrypted with.", ex);
        }
    }

    /// <summary>Signs a JWT with the active key. Throws when no key is usable (the readiness check is red then).</summary>
    public string CreateJwt(ReadOnlySpan<byte> payloadJson)
    {
        var signer = ActiveSigner(time.GetUtcNow())
            ?? throw new InvalidOperationException("No active signing key is loaded.");
        var header = Encoding.UTF8.GetBytes($$"""{"alg":"RS256","kid":"{{signer.Kid}}","typ":"JWT"}""");
        return signer.SignCompact(header, payloadJson);
    }

    /// <summary>Signs any header and payload with the active key (tests build hostile tokens with the real key).</summary>
    internal string SignRaw(string headerJson, string payloadJson)
    {
        var signer = ActiveSigner(time.GetUtcNow()) ?? throw new InvalidOperationException("No active signing key is loaded.");
        return signer.SignCompact(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(payloadJson));
    }

    private SignerKey? ActiveSigner(DateTimeOffset now)
    {
        // Signers are ordered newest activation first.
        foreach (var signer in _snapshot.Signers)
        {
            if (signer.ActivatesAt <= now && now < signer.RetiresAt)
            {
                return signer;
            }
        }
        return null;
    }

    public void Dispose()
    {
        foreach (var signer in _snapshot.Signers)
        {
            signer.Dispose();
        }
    }

    private sealed record Snapshot(SigningKeySet Published, IReadOnlyList<SignerKey> Signers)
    {
        public static readonly Snapshot Empty = new(SigningKeySet.Empty, []);
    }

    /// <summary>A private key that may sign. RSA instances are not documented as thread-safe: one per concurrent signer.</summary>
    private sealed class SignerKey : IDisposable
    {
        private readonly byte[] _pkcs8;
        private readonly ConcurrentBag<RSA> _pool;

        public SignerKey(string kid, DateTimeOffset activatesAt, DateTimeOffset retiresAt, byte[] pkcs8)
            : this(kid, activatesAt, retiresAt, pkcs8, [])
        {
        }

        private SignerKey(string kid, DateTimeOffset activatesAt, DateTimeOffset retiresAt, byte[] pkcs8, ConcurrentBag<RSA> pool)
        {
            Kid = kid;
            ActivatesAt = activatesAt;
            RetiresAt = retiresAt;
            _pkcs8 = pkcs8;
            _pool = pool;
        }

        public string Kid { get; }
        public DateTimeOffset ActivatesAt { get; }
        public DateTimeOffset RetiresAt { get; }

        public SignerKey WithRetirement(DateTimeOffset retiresAt) =>
            retiresAt == RetiresAt ? this : new SignerKey(Kid, ActivatesAt, retiresAt, _pkcs8, _pool);

        public string SignCompact(ReadOnlySpan<byte> headerJson, ReadOnlySpan<byte> payloadJson)
        {
            var signingInput = System.Buffers.Text.Base64Url.EncodeToString(headerJson) + "." + System.Buffers.Text.Base64Url.EncodeToString(payloadJson);
            if (!_pool.TryTake(out var rsa))
            {
                rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(_pkcs8, out _);
            }
            try
            {
                var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return signingInput + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
            }
            finally
            {
                if (_pool.Count < 16)
                {
                    _pool.Add(rsa);
                }
                else
                {
                    rsa.Dispose();
                }
            }
        }

        public void Dispose()
        {
            while (_pool.TryTake(out var rsa))
            {
                rsa.Dispose();
            }
        }
    }
}
