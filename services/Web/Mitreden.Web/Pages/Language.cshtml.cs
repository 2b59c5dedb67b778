using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages;

/// <summary>The language switch: a form POST that stores the choice in the culture cookie (works without JavaScript).</summary>
public sealed class LanguageModel : WebPage
{
    public IActionResult OnGet() => Redirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        var chosen = culture == "en" ? "en" : "de";
        Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = Request.IsHttps,
                IsEssential = true,
                Path = "/",
            });
        return LocalRedirect(SafeReturnUrl(returnUrl));
    }
}
