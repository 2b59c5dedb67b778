using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mitreden.ServiceDefaults.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Health;

namespace Mitreden.Gateway;

public static class GatewayModule
{
    /// <summary>The components the gateway forwards to; each must have an address under <c>Services:&lt;name&gt;</c>.</summary>
    public static readonly string[] Clusters = ["identity", "proposals", "comments", "voting", "moderation", "web"];

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(DestinationsFromServices(builder.Configuration));
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddGatewayRateLimits(builder.Configuration);
        RequestSizeOptions.Add(builder.Services);
        // The services refuse control characters themselves; reading a form here would consume the body YARP forwards.
        builder.Services.Configure<Mitreden.ServiceDefaults.Http.InputGuardOptions>(o => o.Enabled = false);
        builder.Services.AddHealthChecks().AddCheck<DestinationsHealthCheck>("destinations", tags: ["ready"]);
        return builder;
    }

    public static WebApplication UseGatewayEdge(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestSizeMiddleware>();
        return app;
    }

    public const string DocsMetadata = "Docs";

    public static WebApplication MapGateway(this WebApplication app)
    {
        var docs = Mitreden.ServiceDefaults.ServiceDefaultsExtensions.DocsEnabled(app);
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(async (context, next) =>
            {
                await next();
                await UnavailableProblems.WriteIfForwardingFailedAsync(context);
            });
            // Routes marked "Docs" (API reference pages, OpenAPI documents) exist only where the docs are enabled.
            proxy.Use((context, next) =>
            {
                if (!docs && context.GetReverseProxyFeature().Route.Config.Metadata?.GetValueOrDefault(DocsMetadata) == "true")
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }
                return next();
            });
            // The default pipeline of MapReverseProxy().
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    /// <summary>
    /// Turns <see cref="ServiceAddresses"/> (<c>Services:voting = "http://a;http://b"</c>) into YARP destinations, so
    /// deployment tooling sets one value per component while routes and policies stay in appsettings.
    /// </summary>
    internal static Dictionary<string, string?> DestinationsFromServices(IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var cluster in Clusters)
        {
            var addresses = ServiceAddresses.Get(configuration, cluster);
            for (var i = 0; i < addresses.Count; i++)
            {
                values[$"ReverseProxy:Clusters:{cluster}:Destinations:{cluster}-{i + 1}:Address"] = addresses[i].OriginalString;
            }
        }
        return values;
    }
}

/// <summary>Ready when every cluster has at least one destination that is not known to be down.</summary>
internal sealed class DestinationsHealthCheck(Yarp.ReverseProxy.IProxyStateLookup proxyState) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var down = new List<string>();
        foreach (var cluster in proxyState.GetClusters())
        {
            var anyUp = cluster.Destinations.Values.Any(d => d.Health.Active != DestinationHealth.Unhealthy);
            if (!anyUp)
            {
                down.Add(cluster.ClusterId);
            }
        }
        return Task.FromResult(down.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("No healthy destination for: " + string.Join(", ", down)));
    }
}
