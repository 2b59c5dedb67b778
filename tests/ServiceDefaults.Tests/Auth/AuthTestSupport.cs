using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>A clock the test moves by hand (timers still run on real time).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public ManualTimeProvider()
        : this(DateTimeOffset.UtcNow)
    {
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

internal static class AuthTestSupport
{
    public static JwtValidator Validator(TestTokens tokens, ValidatedTokenCache? cache = null, string? jwks = null) =>
        new(
            new JwtValidationParameters { Issuer = tokens.Issuer, Audience = tokens.Audience },
            new StaticSigningKeySource(JsonWebKeySet.Parse(jwks ?? tokens.JwksJson)),
            cache);
}
