using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;

namespace Mitreden.Ui;

/// <summary>The language switch's form target and where it returns; the choice is the culture cookie both apps read.</summary>
public sealed record LanguageSwitch(string Action, string ReturnUrl)
{
    public static readonly string[] Cultures = ["de", "en"];

    /// <summary>German unless the visitor chose otherwise (the cookie); the browser's language does not decide.</summary>
    public static void ConfigureLocalization(RequestLocalizationOptions o)
    {
        var cultures = Cultures.Select(c => new System.Globalization.CultureInfo(c)).ToArray();
        o.DefaultRequestCulture = new RequestCulture("de");
        o.SupportedCultures = cultures;
        o.SupportedUICultures = cultures;
        o.RequestCultureProviders = [new CookieRequestCultureProvider()];
    }

    /// <summary>Stores the choice (German for anything but "en") in the culture cookie for a year.</summary>
    public static void Remember(HttpResponse response, string? culture)
    {
        var chosen = culture == "en" ? "en" : "de";
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = response.HttpContext.Request.IsHttps,
                IsEssential = true,
                Path = "/",
            });
    }
}
