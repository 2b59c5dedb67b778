using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Auth;

/// <summary>Signing out ends the web session and the sign-in at Identity (so the next sign-in asks for the password again).</summary>
public sealed class LogoutModel(SessionManager sessions) : WebPage
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await WebSignIn.EndWebSessionAsync(HttpContext, sessions);
        Flash(T["Logout_Done"]);
        return SignOut(new AuthenticationProperties { RedirectUri = "/" }, WebSignIn.SchemeName);
    }
}
