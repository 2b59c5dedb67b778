using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Mitreden.Ui;

namespace Mitreden.Identity.Api.Pages;

/// <summary>/konto/anmelden/sprache (anonymous): the language switch of Identity's pages; the same cookie as the web's.</summary>
public sealed class LanguageModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        LanguageSwitch.Remember(Response, culture);
        return LocalRedirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
