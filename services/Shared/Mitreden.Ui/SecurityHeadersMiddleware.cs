using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Mitreden.Ui;

/// <summary>What a component adds to the strict CSP: the one origin its map tiles come from (the web), nothing else.</summary>
public sealed class SecurityHeadersOptions
{
    /// <summary>Origins (scheme://host[:port]) allowed as img-src besides 'self' and data:.</summary>
    public List<string> ImageOrigins { get; } = [];
}

/// <summary>
/// Security headers on every response: a strict CSP with a per-request script nonce (no inline styles, no foreign
/// origins except the configured map tile host for images, no framing), plus the usual hardening headers. Pages never
/// need 'unsafe-inline'.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, IOptions<SecurityHeadersOptions> options)
{
    private readonly string _imageSources = string.Concat(options.Value.ImageOrigins.Select(o => " " + o));

    public Task InvokeAsync(HttpContext context, CspNonce nonce)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'self' 'nonce-{nonce.Value}'; style-src 'self'; img-src 'self' data:{_imageSources}; " +
                "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
