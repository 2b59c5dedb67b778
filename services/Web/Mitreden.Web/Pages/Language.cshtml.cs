using Microsoft.AspNetCore.Mvc;
using Mitreden.Ui;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages;

/// <summary>The language switch: a form POST that stores the choice in the culture cookie (works without JavaScript).</summary>
public sealed class LanguageModel : WebPage
{
    public IActionResult OnGet() => Redirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        LanguageSwitch.Remember(Response, culture);
        return LocalRedirect(SafeReturnUrl(returnUrl));
    }
}
