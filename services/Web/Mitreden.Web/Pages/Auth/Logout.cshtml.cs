using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Auth;

public sealed class LogoutModel(SessionManager sessions) : WebPage
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.SignOutAsync(HttpContext);
        Flash(T["Logout_Done"]);
        return LocalRedirect("/");
    }
}
