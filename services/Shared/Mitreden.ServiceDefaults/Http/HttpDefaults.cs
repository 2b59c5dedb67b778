using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mitreden.ServiceDefaults.Http;

public static class HttpDefaults
{
    /// <summary>Default body limit; endpoints that take files (CSV imports) raise it for themselves.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// How much of an unread body is read and discarded after an early answer (<see cref="UnreadBodyDrainMiddleware"/>):
    /// the largest body any route takes (the largest of the gateway's Gateway:LargeBodies, a document upload).
    /// </summary>
    public const long MaxDrainBytes = 21 * 1024 * 1024;

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        options.Converters.Add(new ControlCharacterJsonConverter());
        // Strict input: unknown fields and missing required ones are client errors (400), not silently ignored.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.MaxDepth = 32;
    }

    /// <summary>JSON, body and header limits, forwarded headers and ProblemDetails, with <see cref="HttpOptions"/>.</summary>
    public static IServiceCollection AddHttpDefaults(this IServiceCollection services)
    {
        HttpOptions.Add(services);
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpOptions>>((o, http) =>
        {
            o.Limits.MaxRequestBodySize = http.Value.MaxRequestBodyBytes;
            o.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            o.AddServerHeader = false;
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HttpOptions>>((o, http) =>
        {
            // Only the gateway (loopback in development, the cluster network in Kubernetes) may set these.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = 2;
            // Loopback is trusted by default; in a cluster the pod network of the gateway/ingress is added here.
            foreach (var cidr in http.Value.TrustedProxyNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(cidr));
            }
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            // Every problem carries a code, also those the framework writes (404 of an unknown route, 405, 415).
            ctx.ProblemDetails.Extensions.TryAdd(Problems.CodeExtension, Problems.CodeFor(ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode));
            if (ctx.HttpContext.Items.TryGetValue(Observability.CorrelationMiddleware.ItemKey, out var id) && id is string correlationId)
            {
                ctx.ProblemDetails.Extensions["correlationId"] = correlationId;
            }
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOptions<InputGuardOptions>();
        return services;
    }
}
