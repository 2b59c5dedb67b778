using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mitreden.ServiceDefaults.Observability;

public static class Telemetry
{
    /// <summary>
    /// Traces and metrics from ASP.NET Core, HttpClient, MassTransit and the service's own sources, exported over
    /// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without an endpoint nothing is collected.
    /// </summary>
    public static IServiceCollection AddMitredenTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);
        var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Mitreden.*")
            .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint))
            .Build();
        var meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "MassTransit", "Mitreden.*")
            .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint))
            .Build();
        services.AddSingleton(tracer);
        services.AddSingleton(meter);
        return services;
    }
}
