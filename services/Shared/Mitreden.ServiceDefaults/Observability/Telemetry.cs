using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Messaging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mitreden.ServiceDefaults.Observability;

public static class Telemetry
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Activity sources and meters of our own code ("Mitreden.Voting", ...).</summary>
    public const string OwnSources = "Mitreden.*";

    /// <summary>
    /// Traces (ASP.NET Core, HttpClient, MassTransit, Npgsql, our own sources), metrics (requests, runtime,
    /// HttpClient, Npgsql, MassTransit, our own meters) and logs, all exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the JSON console log stays as it is. Without an endpoint nothing is
    /// collected, so a process without a collector pays nothing. The other <c>OTEL_*</c> variables (protocol, batch
    /// delay, export interval) work as the OpenTelemetry SDK documents them.
    /// </summary>
    public static WebApplicationBuilder AddMitredenTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointKey]))
        {
            return builder;
        }
        var serviceName = ServiceNames.FromApplicationName(builder.Environment.ApplicationName);
        // voting, voting-2, voting-consumer: the dashboard shows the instances of one service side by side.
        var instance = builder.Configuration["MITREDEN_INSTANCE"] is { Length: > 0 } named ? named : Environment.MachineName;

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;   // the correlation id travels in a scope
            o.IncludeFormattedMessage = true;
        });
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instance))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request =>
                    request.RequestUri is null || !IsProbe(request.RequestUri.AbsolutePath))
                .AddNpgsql()
                .AddSource("MassTransit", OwnSources))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter("MassTransit", OwnSources))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>Health probes (the script, Kubernetes, YARP's active checks) run every few seconds: no traces for them.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
