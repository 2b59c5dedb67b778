using Microsoft.Extensions.Options;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace Mitreden.Web.Sessions;

/// <summary>
/// What the server keeps per signed-in browser. The browser only ever holds the random session id. The identity token
/// is kept only to name the sign-in when it ends at Identity (id_token_hint of the end-session request).
/// </summary>
public sealed record SessionData(string AccessToken, string RefreshToken, DateTimeOffset AccessExpiresAt, DateTimeOffset CreatedAt,
    string? IdToken = null);

/// <summary>
/// Sessions in Redis, keyed by a hash of the random id in the cookie (a Redis dump does not give usable cookie
/// values). A session lives <see cref="IdleTimeout"/> after its last token refresh, i.e. after the last activity.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options)
{
    private const string Prefix = "web:session:";

    public TimeSpan IdleTimeout { get; } = options.Value.SessionIdleTimeout;

    public static string NewId() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Ids are 43 base64url characters; anything else is not looked up at all.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 43 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public async Task<SessionData?> GetAsync(string id)
    {
        var json = await redis.GetDatabase().StringGetAsync(Key(id));
        return json.IsNull ? null : JsonSerializer.Deserialize<SessionData>(json.ToString());
    }

    public Task SaveAsync(string id, SessionData data) => redis.GetDatabase().StringSetAsync(Key(id), JsonSerializer.Serialize(data), IdleTimeout);

    public Task DeleteAsync(string id) => redis.GetDatabase().KeyDeleteAsync(Key(id));

    /// <summary>One refresh at a time per session, so parallel requests do not spend the same refresh token twice.</summary>
    public Task<bool> TryLockRefreshAsync(string id) =>
        redis.GetDatabase().StringSetAsync(Key(id) + ":refresh", "1", TimeSpan.FromSeconds(15), When.NotExists);

    public Task UnlockRefreshAsync(string id) => redis.GetDatabase().KeyDeleteAsync(Key(id) + ":refresh");

    private static string Key(string id) => Prefix + Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(id)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Section "Web": how long a session lives after its last activity (Web:SessionIdleTimeout).</summary>
public sealed class SessionStoreOptions
{
    public const string Section = "Web";

    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    public static OptionsBuilder<SessionStoreOptions> Add(IServiceCollection services) =>
        services.AddOptions<SessionStoreOptions>().BindConfiguration(Section)
            .Validate(o => o.SessionIdleTimeout >= TimeSpan.FromMinutes(1), "Web:SessionIdleTimeout must be at least 00:01:00.")
            .ValidateOnStart();
}
