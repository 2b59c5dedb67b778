using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Mitreden.Web.Api;

namespace Mitreden.Web.Sessions;

/// <summary>
/// The web front end's authentication scheme: the session cookie, resolved server-side by <see cref="SessionManager"/>.
/// A challenge sends the browser to the sign-in start (and back afterwards); a forbidden request gets the 403 page.
/// Signing in is the OpenID Connect handler's last step: it hands over the tokens it received, which become a new
/// server-side session (the browser never sees them).
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SessionManager sessions)
    : SignInAuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MitredenSession";
    public const string AccessDeniedPath = "/zugriff-verweigert";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var principal = await sessions.AuthenticateAsync(Context);
        return principal is null
            ? AuthenticateResult.NoResult()
            : AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Redirect(SignInLinks.SignIn(ReturnUrl(Request)));
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Redirect(AccessDeniedPath);
        return Task.CompletedTask;
    }

    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        var access = properties?.GetTokenValue("access_token")
            ?? throw new InvalidOperationException("The sign-in carries no access token (SaveTokens must be on).");
        var expiresIn = DateTimeOffset.TryParse(properties!.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? (int)Math.Max(0, (at - TimeProvider.GetUtcNow()).TotalSeconds)
            : 0;
        await sessions.SignInAsync(Context, new TokenResponse(access, properties.GetTokenValue("refresh_token"), expiresIn, "Bearer"),
            properties.GetTokenValue("id_token"));
    }

    protected override Task HandleSignOutAsync(AuthenticationProperties? properties) => sessions.SignOutAsync(Context);

    /// <summary>Where to come back after signing in: the page itself (a POST's handler query is dropped).</summary>
    public static string ReturnUrl(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            ? request.PathBase + request.Path + request.QueryString
            : (request.PathBase + request.Path).ToString();
}
