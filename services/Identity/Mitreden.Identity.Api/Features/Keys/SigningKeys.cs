using System.Globalization;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Mitreden.Identity.Api.Features.Keys;

/// <summary>
/// The RSA keys that sign access tokens, from configuration only (Identity:SigningKeys:N:Pem or :Path, optional
/// :SignFrom). Every configured key is published in the JWKS. The key that signs is the one with the latest SignFrom
/// that has passed, but a key with a SignFrom signs only after this process has published it (from when it listens) for
/// <see cref="IdentitySettings.ValidatorRefreshInterval"/>: validators learn a new key before they meet a token signed
/// with it. An old key stays configured (and published) until the tokens it signed have expired; removing it is the
/// operator's step, at least <see cref="IdentitySettings.AccessTokenLifetime"/> after its successor began signing.
/// Rotation through an API is gone on purpose: a key made at run time would sign before validators know it (seconds of
/// 401s after every rotation), and its private part would have to live in the database.
/// </summary>
public sealed class SigningKeys
{
    public const string SectionName = "Identity:SigningKeys";
    public const int MinRsaKeySizeBits = 2048;

    private readonly IReadOnlyList<ConfiguredKey> _keys;
    private long _publishedSinceUtcTicks;   // read by every token request, set once more at MarkServing: one atomic word
    private readonly TimeSpan _lead;
    private readonly TimeProvider _time;

    public SigningKeys(IReadOnlyList<ConfiguredKey> keys, TimeSpan lead, TimeProvider time)
    {
        if (keys.Count == 0)
        {
            throw new InvalidOperationException($"{SectionName} is empty: configure at least one RSA key (:0:Pem or :0:Path).");
        }
        if (keys.Count(k => k.SignFrom is null) > 1)
        {
            throw new InvalidOperationException($"{SectionName}: at most one key may omit SignFrom (every later key says when it takes over).");
        }
        if (keys.Select(k => k.KeyId).Distinct().Count() != keys.Count)
        {
            throw new InvalidOperationException($"{SectionName} lists the same key twice.");
        }
        _keys = keys;
        _lead = lead;
        _time = time;
        _publishedSinceUtcTicks = time.GetUtcNow().UtcTicks;
    }

    public IReadOnlyList<ConfiguredKey> All => _keys;

    /// <summary>
    /// The JWKS is reachable from now on (the server listens): the lead of a new key counts from here, not from the
    /// process start. A start takes seconds on a busy machine, and a validator that tried to refresh meanwhile got nothing.
    /// </summary>
    public void MarkServing()
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (now > Interlocked.Read(ref _publishedSinceUtcTicks))
        {
            Interlocked.Exchange(ref _publishedSinceUtcTicks, now);
        }
    }

    /// <summary>The key that signs now (see the type's summary for the rule).</summary>
    public ConfiguredKey Active
    {
        get
        {
            var now = _time.GetUtcNow();
            var publishedSince = new DateTimeOffset(Interlocked.Read(ref _publishedSinceUtcTicks), TimeSpan.Zero);
            var publishedLongEnough = now >= publishedSince + _lead;
            ConfiguredKey? best = null;
            foreach (var key in _keys)
            {
                var from = key.SignFrom ?? DateTimeOffset.MinValue;
                var eligible = from <= now && (publishedLongEnough || key.SignFrom is null || _keys.Count == 1);
                if (eligible && (best is null || from > (best.SignFrom ?? DateTimeOffset.MinValue)))
                {
                    best = key;
                }
            }
            // No key is eligible yet (all SignFrom in the future, or none published long enough): the earliest one signs.
            return best ?? _keys.OrderBy(k => k.SignFrom ?? DateTimeOffset.MinValue).First();
        }
    }

    /// <summary>Identity validates its own tokens with the same keys it publishes (each with its key id).</summary>
    public IEnumerable<SecurityKey> ValidationKeys => _keys.Select(k => k.Credentials.Key);

    public static SigningKeys Load(IConfiguration configuration, IdentitySettings settings, TimeProvider time)
    {
        var keys = new List<ConfiguredKey>();
        var sections = configuration.GetSection(SectionName).GetChildren()
            .OrderBy(s => int.TryParse(s.Key, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue);
        foreach (var section in sections)
        {
            var pem = section["Pem"];
            var path = section["Path"];
            if (string.IsNullOrWhiteSpace(pem) == string.IsNullOrWhiteSpace(path))
            {
                throw new InvalidOperationException($"{SectionName}:{section.Key} needs exactly one of Pem and Path.");
            }
            pem = string.IsNullOrWhiteSpace(pem) ? File.ReadAllText(path!) : pem;
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException($"{SectionName}:{section.Key} is not an RSA private key in PEM.", ex);
            }
            if (rsa.KeySize < MinRsaKeySizeBits)
            {
                throw new InvalidOperationException(
                    $"{SectionName}:{section.Key} must have at least {MinRsaKeySizeBits} bits.");
            }
            DateTimeOffset? signFrom = section["SignFrom"] is { Length: > 0 } text
                ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null;
            keys.Add(new ConfiguredKey(rsa, signFrom));
        }
        return new SigningKeys(keys, settings.ValidatorRefreshInterval, time);
    }
}

/// <summary>One configured key; its kid is the RFC 7638 thumbprint of the public key (stable across restarts and replicas).</summary>
public sealed class ConfiguredKey
{
    public ConfiguredKey(RSA rsa, DateTimeOffset? signFrom)
    {
        Rsa = rsa;
        SignFrom = signFrom;
        var securityKey = new RsaSecurityKey(rsa);
        KeyId = Base64UrlEncoder.Encode(securityKey.ComputeJwkThumbprint());
        securityKey.KeyId = KeyId;
        Credentials = new SigningCredentials(securityKey, SecurityAlgorithms.RsaSha256);
    }

    public RSA Rsa { get; }

    public DateTimeOffset? SignFrom { get; }

    public string KeyId { get; }

    public SigningCredentials Credentials { get; }
}

/// <summary>Tells <see cref="SigningKeys"/> when the server began to listen (and so to publish the keys).</summary>
public sealed class SigningKeysServing(SigningKeys keys, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(keys.MarkServing);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
