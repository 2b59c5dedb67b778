using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Configuration;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.ServiceDefaults.Observability;
using Mitreden.ServiceDefaults.Redis;
using Scalar.AspNetCore;

namespace Mitreden.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every Mitreden service shares: JSON logs with correlation ids, telemetry, ProblemDetails, body limits,
    /// strict JSON, token validation, health checks, Redis and OpenAPI. Required configuration is checked here, so a
    /// service with a missing value fails at start, not at the first request.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("MassTransit", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        builder.AddMitredenTelemetry();
        builder.Services.AddHttpDefaults();
        builder.Services.AddMitredenAuthentication(builder.Configuration);
        // Every endpoint states who may call it; one that forgets is closed to anonymous callers.
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOpenApi(o => o.AddMitredenSecurity());
        return builder;
    }

    /// <summary>
    /// Shared middleware and the health and OpenAPI endpoints (anonymous, in every environment); the API reference page
    /// for services (<paramref name="apiReference"/>; the web and the gateway have no API of their own to show).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool apiReference = true)
    {
        app.UseMiddleware<UnreadBodyDrainMiddleware>();
        app.UseForwardedHeaders();
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(AnswerUnroutableBeforeAuthorization);
        app.UseAuthentication();
        app.UseAuthorization();
        if (app.Services.GetService<RefusedSubjects>() is not null)
        {
            app.UseMiddleware<RefusedSubjectsMiddleware>();
        }
        app.UseMiddleware<TextInputGuardMiddleware>();

        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("live"),
            ResponseWriter = WriteHealth,
        }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteHealth,
        }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        if (apiReference && DocsEnabled(app))
        {
            // Behind the gateway the page lives at /api/<svc>/docs/ and the document at /api/<svc>/openapi/v1.json:
            // relative URLs keep both working there and straight at the service.
            app.MapScalarApiReference("/docs", o => o
                    .WithTitle(app.Environment.ApplicationName)
                    .WithOpenApiRoutePattern("../openapi/{documentName}.json")
                    .AddPreferredSecuritySchemes(OpenApiSecurity.SchemeName))
                .AllowAnonymous()
                .AddEndpointFilter(async (context, next) =>
                {
                    // The gateway's API answers carry "default-src 'none'"; the page needs its own script, styles and
                    // calls to this origin (its inline start-up script is why 'unsafe-inline' is there).
                    context.HttpContext.Response.Headers.ContentSecurityPolicy = OpenApiSecurity.DocsContentSecurityPolicy;
                    return await next(context);
                });
        }
        return app;
    }

    /// <summary>The API reference page (Scalar) at /docs: in Development, or with Docs:Enabled=true.</summary>
    public static bool DocsEnabled(WebApplication app) =>
        app.Environment.IsDevelopment() || app.Configuration.GetValue("Docs:Enabled", false);

    /// <summary>
    /// The fallback policy would turn "no such route" (and routing's own 405/415 answers) into 401 for anonymous
    /// callers. Those are client mistakes that reveal nothing, so they get their real status before authorization.
    /// </summary>
    private static Task AnswerUnroutableBeforeAuthorization(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        if (endpoint.DisplayName is { } name && (name.StartsWith("405 HTTP", StringComparison.Ordinal) || name.StartsWith("415 HTTP", StringComparison.Ordinal)))
        {
            return endpoint.RequestDelegate!(context);
        }
        return next(context);
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        }));
    }

    /// <summary>One Redis multiplexer per process (created on first use), with a readiness check.</summary>
    public static WebApplicationBuilder AddMitredenRedis(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration.GetRequiredConnectionString("redis");
        builder.Services.AddSingleton(_ => RedisConnection.Connect(configuration));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    /// <summary>The bus with this service's name as queue prefix (e.g. "moderation-comment-posted").</summary>
    public static IServiceCollection AddMitredenBus(this WebApplicationBuilder builder, Action<MassTransit.IBusRegistrationConfigurator>? configure = null) =>
        builder.Services.AddMitredenBus(builder.Configuration, configure, ServiceNames.FromApplicationName(builder.Environment.ApplicationName));
}
