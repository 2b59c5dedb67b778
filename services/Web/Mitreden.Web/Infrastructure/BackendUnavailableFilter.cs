using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Mitreden.Web.Infrastructure;

/// <summary>A service that does not answer turns into a 503 that the status page explains (never a stack trace).</summary>
public sealed class BackendUnavailableFilter(ILogger<BackendUnavailableFilter> logger) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is BackendUnavailableException ex && !executed.ExceptionHandled)
        {
            logger.LogWarning("Backend {Service} unavailable for {Path}: {Error}", ex.Service, context.HttpContext.Request.Path,
                ex.InnerException?.Message ?? ex.Message);
            executed.ExceptionHandled = true;
            executed.Result = new StatusCodeResult(StatusCodes.Status503ServiceUnavailable);
        }
    }
}
