using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mitreden.Identity.Api.Data;

namespace Mitreden.Identity.Api.Features.Keys;

/// <summary>
/// Rotation policy. A key signs for <see cref="IdentitySettings.SigningKeyLifetimeDays"/>; its successor is created
/// (and published in the JWKS) <see cref="PrePublishLead"/> before it takes over, so other services already hold it
/// when the first token with the new kid arrives. A retired key stays published until all its tokens expired.
/// </summary>
public static class SigningKeyRotation
{
    public static readonly TimeSpan PrePublishLead = TimeSpan.FromHours(1);

    /// <summary>Creates keys as the policy requires (or a new active key now, when forced) and returns the live keys.</summary>
    public static async Task<List<SigningKey>> EnsureAsync(IdentityDb db, IdentitySecrets secrets, IdentitySettings settings,
        DateTimeOffset now, bool force, CancellationToken ct, Action<SigningKey>? onCreated = null)
    {
        var cutoff = now - SigningKeyRing.PublishAfterRetirement;
        var keys = await db.SigningKeys.Where(k => k.RetiresAt > cutoff).ToListAsync(ct);
        var lifetime = TimeSpan.FromDays(settings.SigningKeyLifetimeDays);
        var active = keys.Where(k => k.ActivatesAt <= now && k.RetiresAt > now)
            .OrderByDescending(k => k.ActivatesAt).ThenByDescending(k => k.Kid, StringComparer.Ordinal).FirstOrDefault();

        if (force)
        {
            foreach (var key in keys.Where(k => k.RetiresAt > now).ToList())
            {
                if (key.ActivatesAt > now)
                {
                    db.SigningKeys.Remove(key); // a successor that never signed anything
                    keys.Remove(key);
                }
                else
                {
                    key.RetiresAt = now;
                }
            }
            keys.Add(Create(db, secrets, now, now + lifetime, now));
        }
        else if (active is null)
        {
            keys.Add(Create(db, secrets, now, now + lifetime, now));
        }
        else if (!keys.Any(k => k.ActivatesAt > now) && active.RetiresAt - now <= PrePublishLead)
        {
            keys.Add(Create(db, secrets, active.RetiresAt, active.RetiresAt + lifetime, now));
        }
        else
        {
            return keys;
        }

        onCreated?.Invoke(keys[^1]);
        await db.SaveChangesAsync(ct);
        await db.SigningKeys.Where(k => k.RetiresAt <= cutoff).ExecuteDeleteAsync(ct);
        return keys;
    }

    private static SigningKey Create(IdentityDb db, IdentitySecrets secrets, DateTimeOffset activatesAt, DateTimeOffset retiresAt, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var kid = $"{activatesAt:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        try
        {
            var key = new SigningKey
            {
                Kid = kid,
                PublicKey = rsa.ExportSubjectPublicKeyInfo(),
                EncryptedPrivateKey = KeyProtector.Encrypt(secrets.KeyEncryptionKey, pkcs8, kid),
                CreatedAt = now,
                ActivatesAt = activatesAt,
                RetiresAt = retiresAt,
            };
            db.SigningKeys.Add(key);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}

/// <summary>
/// Loads the key ring before the server accepts requests, then keeps it current: reload, scheduled rotation, and
/// removal of expired refresh tokens.
/// </summary>
public sealed class SigningKeyMaintenance(
    IServiceScopeFactory scopes, SigningKeyRing ring, IdentitySecrets secrets, IdentitySettings settings, TimeProvider time,
    ILogger<SigningKeyMaintenance> logger) : BackgroundService
{
    private DateTimeOffset _lastCleanup = DateTimeOffset.MinValue;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunOnceAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // E.g. the migrations job has not run yet; the loop retries and /health/ready stays red meanwhile.
            logger.LogWarning(ex, "Signing keys could not be loaded at start; retrying in the background");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = ring.ActiveKeyId is null ? TimeSpan.FromSeconds(2) : settings.KeyCheckInterval;
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Signing key maintenance failed; retrying");
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var now = time.GetUtcNow();
        var before = ring.ActiveKeyId;
        ring.Apply(await SigningKeyRotation.EnsureAsync(db, secrets, settings, now, force: false, ct));
        if (before != ring.ActiveKeyId)
        {
            logger.LogInformation("Signing with key {Kid}", ring.ActiveKeyId);
        }

        if (now - _lastCleanup > TimeSpan.FromHours(1))
        {
            _lastCleanup = now;
            var expired = now - TimeSpan.FromDays(1);
            await db.RefreshTokens.Where(t => t.ExpiresAt < expired).ExecuteDeleteAsync(ct);
        }
    }
}

public sealed class SigningKeysHealthCheck(SigningKeyRing ring) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ring.ActiveKeyId is { } kid
            ? HealthCheckResult.Healthy($"signing with {kid}, {ring.PublishedKeys.Keys.Count} published")
            : HealthCheckResult.Unhealthy("No active signing key loaded"));
}
