using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Mitreden.Gateway;

/// <summary>One route that takes files: <see cref="Path"/> with "*" for one path segment, and its body limit.</summary>
public sealed record LargeBodyRoute(string Path, long MaxBytes)
{
    private readonly string[] _segments = Path.Trim('/').Split('/');

    public bool Matches(PathString path)
    {
        var segments = (path.Value ?? "").Trim('/').Split('/');
        return segments.Length == _segments.Length
            && segments.Zip(_segments).All(s => s.Second == "*" ? s.First.Length > 0 : string.Equals(s.First, s.Second, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Section "Gateway": the body limits of <see cref="RequestSizeMiddleware"/>, checked at start.</summary>
public sealed class RequestSizeOptions
{
    public const string Section = "Gateway";

    public long MaxRequestBodyBytes { get; set; } = 1L * 1024 * 1024;

    public LargeBodyRoute[] LargeBodies { get; set; } = [];

    public static OptionsBuilder<RequestSizeOptions> Add(IServiceCollection services) =>
        services.AddOptions<RequestSizeOptions>().BindConfiguration(Section)
            .Validate(o => o.MaxRequestBodyBytes >= 1, "Gateway:MaxRequestBodyBytes must be at least 1.")
            .Validate(o => o.LargeBodies.All(r => !string.IsNullOrWhiteSpace(r.Path) && r.Path.StartsWith('/') && r.MaxBytes >= 1),
                "Every Gateway:LargeBodies entry needs a Path starting with '/' and MaxBytes of at least 1.")
            .ValidateOnStart();
}

/// <summary>
/// Body limits at the edge: Gateway:MaxRequestBodyBytes (1 MiB) for every request, more only for the routes listed in
/// Gateway:LargeBodies (imports, document uploads — configuration, so a renamed route cannot silently lose its limit
/// without the configuration saying so). A declared length over the limit is refused before anything is forwarded.
/// </summary>
internal sealed class RequestSizeMiddleware(RequestDelegate next, IOptions<RequestSizeOptions> options)
{
    private readonly long _defaultLimit = options.Value.MaxRequestBodyBytes;
    private readonly LargeBodyRoute[] _large = options.Value.LargeBodies;

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problemDetails)
    {
        var limit = LimitFor(context.Request.Path);
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = 413,
                    Title = "Request body too large",
                    Detail = $"The request body may hold at most {limit} bytes.",
                },
            });
            return;
        }
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }
        await next(context);
    }

    internal long LimitFor(PathString path) => _large.FirstOrDefault(r => r.Matches(path))?.MaxBytes ?? _defaultLimit;
}
