using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages;

public sealed class AccessDeniedModel : WebPage
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
