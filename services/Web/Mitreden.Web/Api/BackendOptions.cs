using Microsoft.Extensions.Options;

namespace Mitreden.Web.Api;

/// <summary>
/// Section "Web": how long a page waits for a service (<see cref="ApiClient"/>s and the sign-in's back channel to
/// Identity). A page render waits on these calls: a short attempt, reads retried twice, and the whole call bounded
/// well below a visitor's patience. Slow operations (closing, imports, exports) set ApiClient.Slow per request.
/// </summary>
public sealed class BackendOptions
{
    public const string Section = "Web";

    public TimeSpan BackendAttemptTimeout { get; set; } = TimeSpan.FromSeconds(8);

    public TimeSpan BackendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public static OptionsBuilder<BackendOptions> Add(IServiceCollection services) =>
        services.AddOptions<BackendOptions>().BindConfiguration(Section)
            .Validate(o => o.BackendAttemptTimeout > TimeSpan.Zero, "Web:BackendAttemptTimeout must be a positive time span.")
            .Validate(o => o.BackendTimeout >= o.BackendAttemptTimeout, "Web:BackendTimeout must be at least Web:BackendAttemptTimeout.")
            .ValidateOnStart();

    /// <summary>The timeouts for <c>AddMitredenResilience</c>.</summary>
    public static (TimeSpan Attempt, TimeSpan Total) Timeouts(IServiceProvider services) =>
        services.GetRequiredService<IOptions<BackendOptions>>().Value is var o ? (o.BackendAttemptTimeout, o.BackendTimeout) : default;
}
