using Microsoft.Extensions.Options;

namespace Mitreden.Gateway;

/// <summary>
/// Section Gateway:RateLimits (<see cref="RateLimits"/>; defaults and reasons in appsettings.json): token buckets,
/// "…PerSecond"/"…PerMinute" the sustained rate, "…Burst" the bucket size. Every value must be at least 1; a 0 would
/// block everyone, so it stops the start instead.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Gateway:RateLimits";

    public int PerClientPerSecond { get; set; } = 50;
    public int PerClientBurst { get; set; } = 100;
    public int AnonymousPerSecond { get; set; } = 100;
    public int AnonymousBurst { get; set; } = 200;
    public int CredentialsPerMinute { get; set; } = 10;
    public int VotesPerUserPerMinute { get; set; } = 30;
    public int VotesPerUserBurst { get; set; } = 10;
    public int VotesPerAddressPerMinute { get; set; } = 600;
    public int VotesPerAddressBurst { get; set; } = 300;
    public int CommentsPerUserPerMinute { get; set; } = 6;
    public int CommentsPerUserBurst { get; set; } = 5;
    public int CommentsPerAddressPerMinute { get; set; } = 120;
    public int CommentsPerAddressBurst { get; set; } = 60;

    public static OptionsBuilder<RateLimitOptions> Add(IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<RateLimitOptions>, Validator>();
        return services.AddOptions<RateLimitOptions>().BindConfiguration(Section).ValidateOnStart();
    }

    /// <summary>Names every value below 1 (all properties are counts).</summary>
    private sealed class Validator : IValidateOptions<RateLimitOptions>
    {
        public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
        {
            var wrong = typeof(RateLimitOptions).GetProperties()
                .Select(p => (p.Name, Value: (int)p.GetValue(options)!))
                .Where(v => v.Value < 1)
                .Select(v => $"{Section}:{v.Name} must be at least 1 (got {v.Value}).")
                .ToList();
            return wrong.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(wrong);
        }
    }
}
