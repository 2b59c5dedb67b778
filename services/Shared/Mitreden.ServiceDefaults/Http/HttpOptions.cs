using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mitreden.ServiceDefaults.Http;

/// <summary>Section "Http" of every service: its body limit and the networks whose forwarded headers it believes.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Default body limit; endpoints that take files (CSV imports) raise it for themselves.</summary>
    public long MaxRequestBodyBytes { get; set; } = HttpDefaults.DefaultMaxRequestBodyBytes;

    /// <summary>
    /// CIDR networks (besides loopback) whose X-Forwarded-* headers are believed: the gateway's or ingress's pod network
    /// in a cluster.
    /// </summary>
    public string[] TrustedProxyNetworks { get; set; } = [];

    public static OptionsBuilder<HttpOptions> Add(IServiceCollection services) =>
        services.AddOptions<HttpOptions>().BindConfiguration(Section)
            .Validate(o => o.MaxRequestBodyBytes >= 1, "Http:MaxRequestBodyBytes must be at least 1.")
            .Validate(o => o.TrustedProxyNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "Every Http:TrustedProxyNetworks entry must be a network in CIDR notation (e.g. 10.42.0.0/16).")
            .ValidateOnStart();
}
