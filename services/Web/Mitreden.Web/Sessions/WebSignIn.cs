using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;

namespace Mitreden.Web.Sessions;

/// <summary>
/// The web signs people in with OpenID Connect at Identity: authorization code flow with PKCE (S256), as the
/// confidential client "mitreden-web" (<see cref="WebSignInOptions"/>). The handler checks state and nonce, redeems the code over the
/// back channel (straight to Identity, like the key fetches) and hands the tokens to the session scheme, which keeps
/// them server-side. Signing out ends the web session and then Identity's sign-in (its end-session endpoint), which
/// returns the browser to the web.
/// </summary>
public static class WebSignIn
{
    public const string SchemeName = "Identity";
    public const string ClientId = "mitreden-web";
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    /// <summary>Tells Identity which page to show first: its sign-in page, or its voting-code page.</summary>
    public const string EntryParameter = "mitreden_entry";
    public const string VotingCodeEntry = "voting-code";

    private const string IdTokenItem = "mitreden.id_token";

    /// <summary>The scopes the web uses: each service it calls (their audiences), plus a refresh token.</summary>
    public static readonly string[] Scopes =
        [OpenIdConnectScope.OpenId, OpenIdConnectScope.OfflineAccess, "identity", "proposals", "comments", "voting", "moderation"];

    /// <summary>The back channel to Identity: addresses under the issuer go straight to Identity (like the key fetches).</summary>
    private const string BackchannelClientName = "Mitreden.IdentityBackchannel";

    public static AuthenticationBuilder AddWebSignIn(this AuthenticationBuilder authentication)
    {
        WebSignInOptions.Add(authentication.Services);
        // Redeeming a code writes token rows: the timeouts of the web's other calls to services, not the 2 s of key fetches.
        authentication.Services.AddHttpClient(BackchannelClientName)
            .AddHttpMessageHandler(sp => new IssuerAddressHandler(sp.GetRequiredService<AuthSettings>()))
            .AddMitredenResilience(BackendOptions.Timeouts);
        authentication.Services.AddOptions<OpenIdConnectOptions>(SchemeName)
            .Configure<IOptions<WebSignInOptions>>((o, web) => o.ClientSecret = web.Value.ClientSecret);
        authentication.AddOpenIdConnect(SchemeName, o =>
        {
            o.ClientId = ClientId;
            o.ResponseType = OpenIdConnectResponseType.Code;
            // The code comes back in the query of a top-level GET, so Lax cookies (session, correlation, nonce) work.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.SaveTokens = true;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.MapInboundClaims = false;
            o.Scope.Clear();
            foreach (var scope in Scopes)
            {
                o.Scope.Add(scope);
            }
            o.CallbackPath = CallbackPath;
            o.SignedOutCallbackPath = SignedOutCallbackPath;
            o.SignInScheme = SessionAuthenticationHandler.SchemeName;
            o.SignOutScheme = SessionAuthenticationHandler.SchemeName;
            o.CorrelationCookie.Name = "mitreden.signin.";
            o.NonceCookie.Name = "mitreden.nonce.";
            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            o.TokenValidationParameters.NameClaimType = MitredenClaimTypes.Name;
            o.TokenValidationParameters.RoleClaimType = MitredenClaimTypes.Roles;
            o.Events = new OpenIdConnectEvents
            {
                OnRedirectToIdentityProvider = context =>
                {
                    if (context.Properties.Items.TryGetValue(EntryParameter, out var entry) && entry is not null)
                    {
                        context.ProtocolMessage.SetParameter(EntryParameter, entry);
                    }
                    return Task.CompletedTask;
                },
                OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.IdTokenHint = context.HttpContext.Items[IdTokenItem] as string;
                    return Task.CompletedTask;
                },
                OnRemoteFailure = context =>
                {
                    // Cancelled, expired or replayed sign-ins (state or nonce missing or wrong): start page, nothing signed in.
                    context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebSignIn))
                        .LogWarning("Sign-in at Identity failed: {Reason}", context.Failure?.GetType().Name);
                    context.Response.Redirect("/");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
        // Discovery, keys and the token endpoint straight from Identity (addresses under the issuer are rewritten).
        authentication.Services.AddOptions<OpenIdConnectOptions>(SchemeName)
            .Configure<AuthSettings, IHttpClientFactory>((o, auth, clients) =>
            {
                o.Authority = auth.Issuer;
                o.MetadataAddress = auth.MetadataAddress.AbsoluteUri;
                o.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                o.Backchannel = clients.CreateClient(BackchannelClientName);
            });
        return authentication;
    }

    /// <summary>
    /// GET /anmelden?returnUrl= and GET /anmelden/abstimmungscode?returnUrl= (anonymous): start the code flow, then come
    /// back to the (local) return address; a code voter who came without one lands on the ballot of their group.
    /// GET /anmelden/weiter (signed in): that landing.
    /// </summary>
    public static IEndpointRouteBuilder MapWebSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInLinks.SignInPath, (HttpContext http, string? returnUrl) => Start(http, returnUrl, entry: null)).AllowAnonymous();
        app.MapGet(SignInLinks.VotingCodePath, (HttpContext http, string? returnUrl) => Start(http, returnUrl, VotingCodeEntry)).AllowAnonymous();
        app.MapGet(LandingPath, LandAsync).RequireAuthorization(WebPolicies.SignedIn);
        return app;
    }

    private const string LandingPath = "/anmelden/weiter";

    private static IResult Start(HttpContext http, string? returnUrl, string? entry)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var properties = new AuthenticationProperties
        {
            RedirectUri = entry is null ? target : $"{LandingPath}?returnUrl={Uri.EscapeDataString(target)}",
        };
        if (entry is not null)
        {
            properties.Items[EntryParameter] = entry;
        }
        return Results.Challenge(properties, [SchemeName]);
    }

    private static async Task<IResult> LandAsync(HttpContext http, string? returnUrl, VotingApi voting, TimeProvider clock, CancellationToken ct)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        if (target == "/" && http.User.IsInRole(MitredenRoles.CodeVoter) && Guid.TryParse(http.User.VotingGroup(), out var group))
        {
            var ballots = await voting.BallotsAsync(null, ct);
            var now = clock.GetUtcNow();
            var ballot = ballots.Value?
                .Where(b => b.Eligibility?.VotingGroupId == group)
                .OrderBy(b => b.CurrentState(now) == BallotState.Open ? 0 : 1).ThenByDescending(b => b.CreatedAt)
                .FirstOrDefault();
            if (ballot is not null)
            {
                return Results.LocalRedirect($"/abstimmungen/{ballot.Id}");
            }
        }
        return Results.LocalRedirect(target);
    }

    /// <summary>
    /// Ends the web session and keeps its identity token for the end-session request, which the caller starts with a
    /// sign-out of <see cref="SchemeName"/> (Identity then sends the browser back to its RedirectUri).
    /// </summary>
    public static async Task EndWebSessionAsync(HttpContext http, SessionManager sessions) =>
        http.Items[IdTokenItem] = await sessions.SignOutAsync(http);

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}

/// <summary>Section "Web": the web's client secret at Identity (Web:ClientSecret, from the environment; required).</summary>
public sealed class WebSignInOptions
{
    public const string Section = "Web";

    public string ClientSecret { get; set; } = "";

    public static OptionsBuilder<WebSignInOptions> Add(IServiceCollection services) =>
        services.AddOptions<WebSignInOptions>().BindConfiguration(Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ClientSecret),
                "Required configuration value 'Web:ClientSecret' is missing (environment variable 'Web__ClientSecret'; the same as Identity's Identity__WebClient__Secret).")
            .ValidateOnStart();
}
