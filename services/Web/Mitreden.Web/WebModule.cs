using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Configuration;
using Mitreden.ServiceDefaults.Http;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Mitreden.Web.Api;
using Mitreden.Web.Pages.Processes;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;
using Mitreden.Ui;
using StackExchange.Redis;

namespace Mitreden.Web;

public static class WebModule
{
    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        builder.AddMitredenRedis();

        // Pages, German first; every text comes from Resources/SharedResource.{de,en}.resx.
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddRazorPages(o =>
            {
                foreach (var page in new[] { "/Index", "/Status", "/AccessDenied", "/Language", "/NotFound", "/Accessibility", "/Privacy" })
                {
                    o.Conventions.AllowAnonymousToPage(page);
                }
                foreach (var folder in new[] { "/Auth", "/Processes", "/Items", "/Ballots" })
                {
                    o.Conventions.AllowAnonymousToFolder(folder);
                }
                o.Conventions.AuthorizeFolder("/Account", WebPolicies.SignedIn);
                o.Conventions.AuthorizeFolder("/Moderation", WebPolicies.Moderator);
                o.Conventions.AuthorizeFolder("/Staff", WebPolicies.Staff);
                o.Conventions.AddPageRoute("/Staff/SurveyNew", Mitreden.Web.Pages.Staff.SurveyNewModel.EditRoute);
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)))
            .AddMvcOptions(o => o.Filters.Add<BackendUnavailableFilter>())
            .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        services.Configure<RequestLocalizationOptions>(LanguageSwitch.ConfigureLocalization);
        // The framework's model binding messages ("The value 'x' is not valid for id.") are English; say them in the UI's language.
        services.AddOptions<Microsoft.AspNetCore.Mvc.MvcOptions>().Configure<Microsoft.Extensions.Localization.IStringLocalizerFactory>((o, factory) =>
        {
            var text = factory.Create(typeof(SharedResource));
            var messages = o.ModelBindingMessageProvider;
            messages.SetAttemptedValueIsInvalidAccessor((value, field) => text["Binding_ValueInvalid", value, field]);
            messages.SetValueIsInvalidAccessor(value => text["Binding_ValueInvalidNoField", value]);
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => text["Binding_ValueInvalidNoField", value]);
            messages.SetUnknownValueIsInvalidAccessor(field => text["Binding_FieldInvalid", field]);
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => text["Problem_FieldInvalid"]);
            messages.SetValueMustNotBeNullAccessor(value => text["Binding_Required"]);
            messages.SetMissingBindRequiredValueAccessor(field => text["Binding_FieldRequired", field]);
            messages.SetMissingKeyOrValueAccessor(() => text["Binding_Required"]);
            messages.SetMissingRequestBodyRequiredValueAccessor(() => text["Binding_Required"]);
            messages.SetNonPropertyValueMustBeANumberAccessor(() => text["Binding_Number"]);
            messages.SetValueMustBeANumberAccessor(field => text["Binding_Number"]);
        });

        // Umlauts as they are, not as numeric character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        // Sessions: a random id in an HttpOnly cookie, tokens in Redis, refreshed server-side.
        services.AddHttpContextAccessor();
        services.AddScoped<CspNonce>();
        // The map tiles' origin is the one foreign origin the CSP allows (images only).
        MapSettings.Add(services);
        SessionStoreOptions.Add(services);
        services.AddSingleton<SessionStore>();
        services.AddScoped<SessionManager>();
        services.AddTransient<Pages.Account.PersonalData>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SessionAuthenticationHandler.SchemeName;
                o.DefaultAuthenticateScheme = SessionAuthenticationHandler.SchemeName;
                o.DefaultChallengeScheme = SessionAuthenticationHandler.SchemeName;
                o.DefaultForbidScheme = SessionAuthenticationHandler.SchemeName;
                o.DefaultSignInScheme = SessionAuthenticationHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null)
            .AddWebSignIn();
        services.AddAuthorizationBuilder()
            .AddPolicy(WebPolicies.SignedIn, p => p.AddAuthenticationSchemes(SessionAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(WebPolicies.Moderator, p => p.AddAuthenticationSchemes(SessionAuthenticationHandler.SchemeName)
                .RequireRole(MitredenRoles.Moderator, MitredenRoles.Staff, MitredenRoles.Admin))
            .AddPolicy(WebPolicies.Staff, p => p.AddAuthenticationSchemes(SessionAuthenticationHandler.SchemeName)
                .RequireRole(MitredenRoles.Staff, MitredenRoles.Admin));

        // Antiforgery on every form; its keys are shared by all replicas through Redis.
        services.AddDataProtection().SetApplicationName("mitreden-web");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new RedisXmlRepository(() => sp.GetRequiredService<IConnectionMultiplexer>().GetDatabase(), "web:dataprotection:keys")));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "mitreden.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.HttpOnly = true;
        });

        // Friendly HTML instead of the services' ProblemDetails for anything unexpected (first handler wins).
        services.Insert(0, ServiceDescriptor.Singleton<IExceptionHandler, WebExceptionHandler>());

        // One typed client per service, straight to the service (Services:<name>, set for every component by ./mitreden).
        services.AddTransient<BackendHeadersHandler>();
        BackendOptions.Add(services);
        AddServiceClient<IdentityApi>(services, configuration, "identity");
        AddServiceClient<ProposalsApi>(services, configuration, "proposals");
        AddServiceClient<CommentsApi>(services, configuration, "comments");
        AddServiceClient<VotingApi>(services, configuration, "voting");
        AddServiceClient<ModerationApi>(services, configuration, "moderation");
        // The live results stream is one long response: no retries or timeouts around it (EventSource reconnects by
        // itself), only a bound on connecting.
        var voting = ServiceUri(configuration, "voting");
        services.AddHttpClient(ResultsStream.ClientName, c =>
        {
            c.BaseAddress = voting;
            c.Timeout = Timeout.InfiniteTimeSpan;
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(3) })
            .AddHttpMessageHandler<BackendHeadersHandler>();
        return builder;
    }

    private static void AddServiceClient<TClient>(IServiceCollection services, IConfiguration configuration, string name)
        where TClient : class
    {
        var uri = ServiceUri(configuration, name);
        services.AddHttpClient<TClient>(c => c.BaseAddress = uri)
            .AddHttpMessageHandler<BackendHeadersHandler>()
            .AddMitredenResilience(BackendOptions.Timeouts);
    }

    /// <summary>The first of <see cref="ServiceAddresses"/> (the gateway balances over several, e.g. two voting instances).</summary>
    internal static Uri ServiceUri(IConfiguration configuration, string name) => ServiceAddresses.Get(configuration, name)[0];

    public static WebApplication UseWebFrontDoor(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl =
                ctx.Context.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable" : "public, max-age=300",
        });
        return app;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.UseRequestLocalization();
        // Empty 4xx/5xx answers of pages become the friendly status page (before the services' JSON status pages see them).
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.MapRazorPages();
        app.MapWebSignIn();
        app.MapResultsStream();
        app.MapNewsFeed();
        app.MapDocumentDownload();
        app.MapEventCalendarDownload();
        app.MapFallbackToPage("/NotFound");
        return app;
    }
}
