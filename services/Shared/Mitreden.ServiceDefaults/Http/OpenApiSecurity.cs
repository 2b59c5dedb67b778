using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Mitreden.ServiceDefaults.Http;

/// <summary>
/// Every OpenAPI document declares how to authenticate (a bearer JWT from Identity) and, per operation, what its
/// authorization demands, read from the same endpoint metadata the authorization middleware reads: anonymous
/// operations carry no requirement, "RequireAuthorization("staff")" carries Bearer: ["staff"], and an endpoint with
/// no metadata falls to the fallback policy (any signed-in caller), Bearer: []. OpenAPI 3.1 allows role/policy names
/// in the requirement of a non-OAuth scheme; Scalar and generated clients then know which token to send.
/// </summary>
public static class OpenApiSecurity
{
    public const string SchemeName = "Bearer";

    public const string DocsContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    /// <summary>Set by the gateway's docs routes ("/api/proposals"), so "try it" calls go through the gateway.</summary>
    public const string PrefixHeader = "X-Mitreden-Api-Prefix";

    public static OpenApiOptions AddMitredenSecurity(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, _) =>
        {
            var request = context.ApplicationServices.GetService<IHttpContextAccessor>()?.HttpContext?.Request;
            if (request?.Headers[PrefixHeader].ToString() is { } prefix && System.Text.RegularExpressions.Regex.IsMatch(prefix, "^/api/[a-z]+$"))
            {
                document.Servers = [new OpenApiServer { Url = prefix, Description = "Gateway" }];
            }
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Zugriffstoken von Identity (/api/identity/connect/token). / Access token from Identity.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (RequiredPolicies(context.Description.ActionDescriptor.EndpointMetadata) is { } policies)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = policies,
                });
            }
            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>Null for an anonymous endpoint; otherwise the policy names it requires (empty: any signed-in caller).</summary>
    public static List<string>? RequiredPolicies(IEnumerable<object> metadata)
    {
        var list = metadata.ToList();
        if (list.OfType<IAllowAnonymous>().Any())
        {
            return null;
        }
        return list.OfType<IAuthorizeData>()
            .SelectMany(a => new[] { a.Policy }.Concat(a.Roles?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
