using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Mitreden.ServiceDefaults.Observability;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages;

/// <summary>The friendly page for every empty error answer (re-executed by the status code pages middleware).</summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : WebPage
{
    public int Code { get; private set; }
    public string? Reference { get; private set; }
    public string? ReturnUrl { get; private set; }

    public void OnGet(int code) => Load(code);

    public void OnPost(int code) => Load(code);

    private void Load(int code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        Code = reExecuted?.OriginalStatusCode ?? code;
        if (reExecuted is null)
        {
            // Visited directly: show the text, but do not pretend an error happened.
            Response.StatusCode = StatusCodes.Status200OK;
        }
        Reference = HttpContext.Items.TryGetValue(CorrelationMiddleware.ItemKey, out var id) ? id as string : null;
        ReturnUrl = reExecuted is null ? null : reExecuted.OriginalPath + reExecuted.OriginalQueryString;
    }
}
