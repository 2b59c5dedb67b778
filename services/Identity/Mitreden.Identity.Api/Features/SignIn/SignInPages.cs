using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Mitreden.Identity.Api.Accounts;
using Mitreden.Ui;
using StackExchange.Redis;

namespace Mitreden.Identity.Api.Features.SignIn;

/// <summary>
/// Identity's pages for the browser (Razor Pages, German first, the web's page frame from Mitreden.Ui): sign-in, voting
/// code, registration, email confirmation, password reset and letter code, reached through the gateway. Their cookies
/// (sign-in session, antiforgery, temp data) have names of their own: the web's cookies live on the same origin and are
/// protected with the web's keys. Identity's Data Protection keys are shared by its replicas through Redis.
/// </summary>
public static class SignInPages
{
    public static WebApplicationBuilder AddSignInPages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<PasswordCheck>();
        services.AddScoped<CspNonce>();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(LanguageSwitch.ConfigureLocalization);
        // German text as it is (like the web's pages), not as character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o => o.Conventions.AllowAnonymousToFolder("/"))
            .AddViewLocalization()
            .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        services.Configure<CookieTempDataProviderOptions>(o => o.Cookie.Name = "mitreden.identity.tempdata");
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "mitreden.identity.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.HttpOnly = true;
        });
        services.AddDataProtection().SetApplicationName("mitreden-identity");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new RedisXmlRepository(() => sp.GetRequiredService<IConnectionMultiplexer>().GetDatabase(), "identity:dataprotection:keys")));
        services.AddAuthentication().AddCookie(SignInSession.Scheme, o =>
        {
            o.Cookie.Name = SignInSession.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = SignInSession.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = SignInSession.SignInPage;
        });
        return builder;
    }

    public static WebApplication MapSignInPages(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseRequestLocalization();
        app.MapRazorPages();
        return app;
    }
}
