using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Mitreden.Gateway;

/// <summary>
/// Body limits at the edge: 1 MB for ordinary API calls, more for the few import routes that take files.
/// A declared length over the limit is refused before anything is forwarded.
/// </summary>
internal sealed class RequestSizeMiddleware(RequestDelegate next, IConfiguration configuration)
{
    private readonly long _defaultLimit = configuration.GetValue("Gateway:MaxRequestBodyBytes", 1L * 1024 * 1024);
    private readonly long _importLimit = configuration.GetValue("Gateway:MaxImportBodyBytes", 10L * 1024 * 1024);

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problemDetails)
    {
        var limit = IsImport(context.Request.Path) ? _importLimit : _defaultLimit;
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

    private static bool IsImport(PathString path) =>
        path.StartsWithSegments("/api") && path.Value!.Contains("/import", StringComparison.OrdinalIgnoreCase);
}
