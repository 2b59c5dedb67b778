using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Identity.Api.Features.Abuse;

/// <summary>
/// Identity's own limits on sign-in, registration, mails and codes (section Identity:Limits), straight at the service,
/// shared by all replicas through Redis; the gateway's per-address limits are only a first line. Every count runs in a
/// window that starts with its first hit and lasts <see cref="Window"/>; past a limit the answer is 429 with Retry-After.
/// <para>
/// Sign-in failures count three ways, and the email address is counted whether or not it has an account, so the answers
/// for an unknown address and a known one are the same (wrong credentials, then the same 429):
/// per client address across all accounts; per (email address, client address), which is the lockout: it locks that
/// account only from the address that failed, so a stranger's guesses do not lock the owner out at home; and per email
/// address across all client addresses, high enough that only a guessing campaign from many addresses reaches it (and
/// then the owner waits at most one window). A successful sign-in clears its (email address, client address) count.
/// </para>
/// Mails (registration, confirmation resend, password reset) count per target address, so nobody floods a mailbox, and
/// per client address; wrong email-confirmation and password-reset tokens and wrong letter codes count per client address.
/// </summary>
public sealed class AttemptLimits
{
    public const string SectionName = "Identity:Limits";

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public int SignInFailuresPerAddress { get; set; } = 20;

    public int SignInFailuresPerAccountAndAddress { get; set; } = 5;

    public int SignInFailuresPerAccount { get; set; } = 50;

    public int RegistrationsPerAddress { get; set; } = 10;

    public int MailRequestsPerAddress { get; set; } = 10;

    public int MailsPerTarget { get; set; } = 3;

    public int CodeFailuresPerAddress { get; set; } = 20;

    /// <summary>Binds section Identity:Limits, checked at start.</summary>
    public static OptionsBuilder<AttemptLimits> Add(IServiceCollection services) =>
        services.AddOptions<AttemptLimits>().BindConfiguration(SectionName)
            .Validate(l => l.Window > TimeSpan.Zero, "Identity:Limits:Window must be positive.")
            .Validate(l => new[] { l.SignInFailuresPerAddress, l.SignInFailuresPerAccountAndAddress, l.SignInFailuresPerAccount,
                    l.RegistrationsPerAddress, l.MailRequestsPerAddress, l.MailsPerTarget, l.CodeFailuresPerAddress }.All(n => n >= 1),
                "Every Identity:Limits count (SignInFailuresPerAddress, SignInFailuresPerAccountAndAddress, SignInFailuresPerAccount, "
                + "RegistrationsPerAddress, MailRequestsPerAddress, MailsPerTarget, CodeFailuresPerAddress) must be at least 1.")
            .ValidateOnStart();
}

/// <summary>Applies <see cref="AttemptLimits"/>; email addresses appear in Redis keys only as keyed hashes.</summary>
public sealed class AttemptGuard(FailureLimiter limiter, AttemptLimits limits, IdentitySecrets secrets)
{
    private const string SignInAddress = "signin-address";
    private const string SignInAccountAddress = "signin-account-address";
    private const string SignInAccount = "signin-account";
    private const string Registrations = "registrations-address";
    private const string MailRequests = "mail-requests-address";
    private const string MailTargets = "mails-target";
    private const string CodeFailures = "code-failures-address";

    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The email address (trimmed, lower case) as a keyed hash: stable per address, meaningless without the secret.</summary>
    public string Target(string email) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secrets.CodePepper, Encoding.UTF8.GetBytes("email:" + email.Trim().ToLowerInvariant())))[..32];

    public async Task<TimeSpan?> SignInRefusedAsync(HttpContext http, string email)
    {
        var address = Address(http);
        var target = Target(email);
        return Longest(
            await limiter.RetryAfterAsync(SignInAddress, address, limits.SignInFailuresPerAddress),
            await limiter.RetryAfterAsync(SignInAccountAddress, $"{target}:{address}", limits.SignInFailuresPerAccountAndAddress),
            await limiter.RetryAfterAsync(SignInAccount, target, limits.SignInFailuresPerAccount));
    }

    public async Task SignInFailedAsync(HttpContext http, string email)
    {
        var address = Address(http);
        var target = Target(email);
        await limiter.RecordFailureAsync(SignInAddress, address, limits.Window);
        await limiter.RecordFailureAsync(SignInAccountAddress, $"{target}:{address}", limits.Window);
        await limiter.RecordFailureAsync(SignInAccount, target, limits.Window);
    }

    public Task SignInSucceededAsync(HttpContext http, string email) =>
        limiter.ForgetAsync(SignInAccountAddress, $"{Target(email)}:{Address(http)}");

    /// <summary>Counts a registration (it always mails the address: a confirmation, or "you already have an account").</summary>
    public async Task<TimeSpan?> RegistrationAsync(HttpContext http, string email) =>
        await limiter.HitAsync(Registrations, Address(http), limits.RegistrationsPerAddress, limits.Window)
        ?? await limiter.HitAsync(MailTargets, Target(email), limits.MailsPerTarget, limits.Window);

    /// <summary>Counts a request that may mail the address (password reset, confirmation resend), known or not.</summary>
    public async Task<TimeSpan?> MailRequestAsync(HttpContext http, string email) =>
        await limiter.HitAsync(MailRequests, Address(http), limits.MailRequestsPerAddress, limits.Window)
        ?? await limiter.HitAsync(MailTargets, Target(email), limits.MailsPerTarget, limits.Window);

    public Task<TimeSpan?> CodeRefusedAsync(HttpContext http) =>
        limiter.RetryAfterAsync(CodeFailures, Address(http), limits.CodeFailuresPerAddress);

    public Task CodeFailedAsync(HttpContext http) => limiter.RecordFailureAsync(CodeFailures, Address(http), limits.Window);

    /// <summary>429 with Retry-After; "error"/"error_description" let OAuth clients of the token endpoint read it too.</summary>
    public static ProblemHttpResult TooMany(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = FailureLimiter.RetryAfterHeader(wait);
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        var detail = $"Zu viele Versuche. Bitte versuchen Sie es in {minutes} Minuten erneut.";
        return Problems.Problem(StatusCodes.Status429TooManyRequests, detail, "too-many-attempts",
            extensions: new Dictionary<string, object?> { ["error"] = "too_many_attempts", ["error_description"] = detail }, language: "de");
    }

    private static TimeSpan? Longest(params TimeSpan?[] waits) => waits.Max();
}
