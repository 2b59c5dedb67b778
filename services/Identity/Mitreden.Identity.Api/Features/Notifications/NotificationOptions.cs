using Microsoft.Extensions.Options;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>Configuration section "Notifications".</summary>
public sealed class NotificationOptions
{
    /// <summary>The daily digest's hour on the city's clock (Europe/Berlin).</summary>
    public int DigestHour { get; set; } = 7;
    /// <summary>How often the sender looks for due notifications.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>The first wait after a failed send; it doubles with each failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Due notifications one sender takes at a time.</summary>
    public int BatchSize { get; set; } = 50;

    public const string Section = "Notifications";

    /// <summary>Binds section "Notifications", checked at start.</summary>
    public static OptionsBuilder<NotificationOptions> Add(IServiceCollection services) =>
        services.AddOptions<NotificationOptions>().BindConfiguration(Section)
            .Validate(o => o.DigestHour is >= 0 and <= 23, "Notifications:DigestHour must be 0..23 (an hour in Europe/Berlin).")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Notifications:PollInterval must be positive.")
            .Validate(o => o.RetryDelay > TimeSpan.Zero, "Notifications:RetryDelay must be positive.")
            .Validate(o => o.MaxRetryDelay >= o.RetryDelay, "Notifications:MaxRetryDelay must be at least Notifications:RetryDelay.")
            .Validate(o => o.BatchSize >= 1, "Notifications:BatchSize must be at least 1.")
            .ValidateOnStart();

    public TimeSpan RetryAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
}
