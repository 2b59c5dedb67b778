using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Configuration;

namespace Mitreden.Identity.Api;

/// <summary>Identity's own configuration (section "Identity"), bound and checked at start (<see cref="Add"/>).</summary>
public sealed class IdentitySettings
{
    public const string SectionName = "Identity";
    public const string KeyEncryptionKeyName = "Identity:KeyEncryptionKey";

    /// <summary>Lifetime of access tokens (at most 5 minutes: a revoked account's token is refused by expiry at the latest).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaxAccessTokenLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a new signing key is published before it signs, so every component knows a key before it meets a token
    /// of it: the validators' automatic JWKS refresh (5 minutes, the least JwtBearer allows; Microsoft.IdentityModel adds
    /// a random delay of a few percent to it, and the refresh itself is started by the next request and takes a moment),
    /// plus a margin for those. On an unknown kid they refetch at most every 30 s, but that request is already refused.
    /// </summary>
    public TimeSpan ValidatorRefreshInterval { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>Rolling refresh tokens: each use returns a new one valid this long; reusing a used one revokes the sign-in.</summary>
    public int RefreshTokenLifetimeDays { get; set; } = 30;

    /// <summary>How often expired, revoked and redeemed token rows (and unused authorizations) are deleted.</summary>
    public TimeSpan TokenPruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows younger than this are kept even when no longer valid (an account export still shows recent sign-ins).</summary>
    public TimeSpan TokenPruneAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>POST /admin/test-voters and the test-voter grant exist only when true (load tests).</summary>
    public bool AllowTestVoters { get; set; }

    /// <summary>Prefix of Identity's Redis keys (rate limits).</summary>
    public string RedisKeyPrefix { get; set; } = "identity";

    /// <summary>Base URL of the web front end for links in mails; default: scheme and host of Auth:Issuer.</summary>
    public string? WebBaseUrl { get; set; }

    public int LetterCodeFailuresPerHour { get; set; } = 5;

    public int VotingCodeFailuresPerWindow { get; set; } = 10;

    public TimeSpan VotingCodeFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Binds section "Identity", checked at start. <see cref="WebBaseUrl"/> defaults to scheme and host of Auth:Issuer
    /// (already checked by <see cref="AuthSettings"/>).
    /// </summary>
    public static OptionsBuilder<IdentitySettings> Add(IServiceCollection services) =>
        services.AddOptions<IdentitySettings>().BindConfiguration(SectionName)
            .PostConfigure<AuthSettings>((s, auth) => s.WebBaseUrl = (string.IsNullOrWhiteSpace(s.WebBaseUrl)
                ? new Uri(auth.Issuer).GetLeftPart(UriPartial.Authority)
                : s.WebBaseUrl).TrimEnd('/'))
            .Validate(s => s.AccessTokenLifetime > TimeSpan.Zero && s.AccessTokenLifetime <= MaxAccessTokenLifetime,
                "Identity:AccessTokenLifetime must be positive and at most 00:05:00.")
            .Validate(s => s.ValidatorRefreshInterval >= TimeSpan.Zero, "Identity:ValidatorRefreshInterval must not be negative.")
            .Validate(s => s.TokenPruneInterval > TimeSpan.Zero, "Identity:TokenPruneInterval must be positive.")
            .Validate(s => s.TokenPruneAge >= TimeSpan.Zero, "Identity:TokenPruneAge must not be negative.")
            .Validate(s => s.RefreshTokenLifetimeDays is >= 1 and <= 365, "Identity:RefreshTokenLifetimeDays must be 1..365.")
            .Validate(s => s.LetterCodeFailuresPerHour >= 1 && s.VotingCodeFailuresPerWindow >= 1,
                "Identity:LetterCodeFailuresPerHour and Identity:VotingCodeFailuresPerWindow must be at least 1.")
            .Validate(s => s.VotingCodeFailureWindow > TimeSpan.Zero, "Identity:VotingCodeFailureWindow must be positive.")
            .Validate(s => !string.IsNullOrWhiteSpace(s.RedisKeyPrefix), "Identity:RedisKeyPrefix must not be empty.")
            .Validate(s => Uri.TryCreate(s.WebBaseUrl, UriKind.Absolute, out var web) && (web.Scheme == Uri.UriSchemeHttp || web.Scheme == Uri.UriSchemeHttps),
                "Identity:WebBaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
}

/// <summary>
/// Keys derived from the one secret Identity:KeyEncryptionKey (32 bytes, base64): the token server's symmetric keys
/// (encryption and signature of refresh tokens and codes, which only Identity reads), a pepper for the code hashes (a database dump alone does not allow guessing
/// codes offline), the MAC key of email-confirmation and password-reset tokens and that of test voters' keys.
/// </summary>
public sealed class IdentitySecrets
{
    public IdentitySecrets(byte[] keyEncryptionKey)
    {
        if (keyEncryptionKey.Length != 32)
        {
            throw new InvalidOperationException($"{IdentitySettings.KeyEncryptionKeyName} must be exactly 32 bytes (base64).");
        }
        TokenEncryptionKey = Derive(keyEncryptionKey, "mitreden-identity/token-encryption/v1");
        TokenSigningKey = Derive(keyEncryptionKey, "mitreden-identity/token-signing/v1");
        CodePepper = Derive(keyEncryptionKey, "mitreden-identity/code-pepper/v1");
        AccountTokenKey = Derive(keyEncryptionKey, "mitreden-identity/account-tokens/v1");
        TestVoterKey = Derive(keyEncryptionKey, "mitreden-identity/test-voter-keys/v1");
    }

    public static IdentitySecrets Load(IConfiguration configuration) =>
        new(configuration.GetRequiredSecret(IdentitySettings.KeyEncryptionKeyName));

    public byte[] TokenEncryptionKey { get; }

    public byte[] TokenSigningKey { get; }

    public byte[] CodePepper { get; }

    public byte[] AccountTokenKey { get; }

    /// <summary>MAC key of the keys that let load-test voters take tokens through the test-voter grant.</summary>
    public byte[] TestVoterKey { get; }

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));
}
