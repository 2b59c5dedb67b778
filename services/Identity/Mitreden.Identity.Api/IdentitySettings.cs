using System.Security.Cryptography;
using System.Text;
using Mitreden.ServiceDefaults.Configuration;

namespace Mitreden.Identity.Api;

/// <summary>Identity's own configuration (section "Identity"), read and checked once at start.</summary>
public sealed class IdentitySettings
{
    public const string SectionName = "Identity";
    public const string KeyEncryptionKeyName = "Identity:KeyEncryptionKey";

    /// <summary>Days a signing key signs new tokens before the next one takes over.</summary>
    public int SigningKeyLifetimeDays { get; set; } = 30;

    /// <summary>How often the key ring is reloaded from the database and rotation is checked.</summary>
    public TimeSpan KeyCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public int RefreshTokenLifetimeDays { get; set; } = 30;

    /// <summary>POST /admin/test-voters exists only when true (load tests).</summary>
    public bool AllowTestVoters { get; set; }

    /// <summary>Prefix of Identity's Redis keys (rate limits).</summary>
    public string RedisKeyPrefix { get; set; } = "identity";

    /// <summary>Base URL of the web front end for links in mails; default: scheme and host of Auth:Issuer.</summary>
    public string? WebBaseUrl { get; set; }

    public int LetterCodeFailuresPerHour { get; set; } = 5;

    public int VotingCodeFailuresPerWindow { get; set; } = 10;

    public TimeSpan VotingCodeFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public static IdentitySettings Load(IConfiguration configuration)
    {
        var settings = configuration.GetSection(SectionName).Get<IdentitySettings>() ?? new IdentitySettings();
        if (settings.SigningKeyLifetimeDays is < 1 or > 365)
        {
            throw new InvalidOperationException("Identity:SigningKeyLifetimeDays must be 1..365.");
        }
        if (settings.RefreshTokenLifetimeDays is < 1 or > 365)
        {
            throw new InvalidOperationException("Identity:RefreshTokenLifetimeDays must be 1..365.");
        }
        if (settings.KeyCheckInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Identity:KeyCheckInterval must be positive.");
        }
        if (string.IsNullOrWhiteSpace(settings.WebBaseUrl))
        {
            var issuer = new Uri(configuration.GetRequired("Auth:Issuer"));
            settings.WebBaseUrl = issuer.GetLeftPart(UriPartial.Authority);
        }
        settings.WebBaseUrl = settings.WebBaseUrl.TrimEnd('/');
        return settings;
    }
}

/// <summary>
/// Keys derived from the one secret Identity:KeyEncryptionKey (32 bytes, base64): the AES-256-GCM key that
/// encrypts signing keys at rest, a pepper for the code hashes (a database dump alone does not allow guessing
/// codes offline) and the MAC key of email-confirmation and password-reset tokens.
/// </summary>
public sealed class IdentitySecrets
{
    public IdentitySecrets(byte[] keyEncryptionKey)
    {
        if (keyEncryptionKey.Length != 32)
        {
            throw new InvalidOperationException($"{IdentitySettings.KeyEncryptionKeyName} must be exactly 32 bytes (base64).");
        }
        KeyEncryptionKey = keyEncryptionKey;
        CodePepper = Derive(keyEncryptionKey, "mitreden-identity/code-pepper/v1");
        AccountTokenKey = Derive(keyEncryptionKey, "mitreden-identity/account-tokens/v1");
    }

    public static IdentitySecrets Load(IConfiguration configuration) =>
        new(configuration.GetRequiredSecret(IdentitySettings.KeyEncryptionKeyName));

    public byte[] KeyEncryptionKey { get; }

    public byte[] CodePepper { get; }

    public byte[] AccountTokenKey { get; }

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));
}
