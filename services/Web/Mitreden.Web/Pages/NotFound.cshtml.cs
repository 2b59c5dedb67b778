using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages;

/// <summary>Every address no page answers (the fallback route).</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class NotFoundModel : WebPage
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status404NotFound;

    public void OnPost() => Response.StatusCode = StatusCodes.Status404NotFound;
}
