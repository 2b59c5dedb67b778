using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Localization;
using Mitreden.ServiceDefaults.Observability;

namespace Mitreden.Web.Infrastructure;

/// <summary>
/// Last line of defence for page requests: a short HTML page with the correlation id (to quote to the city's
/// support), never the exception. Registered before the services' ProblemDetails handler so browsers get HTML.
/// </summary>
public sealed class WebExceptionHandler(IStringLocalizer<SharedResource> text, ILogger<WebExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return false;
        }
        var unavailable = exception is BackendUnavailableException;
        logger.Log(unavailable ? LogLevel.Warning : LogLevel.Error, exception, "Page request {Method} {Path} failed",
            context.Request.Method, context.Request.Path);
        if (context.Response.HasStarted)
        {
            return false;
        }
        var correlation = context.Items.TryGetValue(CorrelationMiddleware.ItemKey, out var id) ? id as string : null;
        context.Response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var title = WebUtility.HtmlEncode(text[unavailable ? "Status_503_Title" : "Status_500_Title"]);
        var body = WebUtility.HtmlEncode(text[unavailable ? "Status_503_Text" : "Status_500_Text"]);
        var reference = WebUtility.HtmlEncode(text["Status_Reference", correlation ?? "-"]);
        var home = WebUtility.HtmlEncode(text["Status_BackHome"]);
        var lang = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} – Mitreden</title><link rel="stylesheet" href="/lib/kern/kern.min.css"><link rel="stylesheet" href="/css/site.css"></head>
            <body class="kern-body"><main id="main" class="container"><h1>{title}</h1><p>{body}</p><p class="muted">{reference}</p>
            <p><a href="/">{home}</a></p></main></body></html>
            """, cancellationToken);
        return true;
    }
}
