using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Mitreden.Web.Sessions;

/// <summary>
/// The web front end's authentication scheme: the session cookie, resolved server-side by <see cref="SessionManager"/>.
/// A challenge sends the browser to the sign-in page (and back afterwards); a forbidden request gets the 403 page.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SessionManager sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MitredenSession";
    public const string LoginPath = "/konto/anmelden";
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
        Response.Redirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(ReturnUrl(Request))}");
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Redirect(AccessDeniedPath);
        return Task.CompletedTask;
    }

    /// <summary>Where to come back after signing in: the page itself (a POST's handler query is dropped).</summary>
    public static string ReturnUrl(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            ? request.PathBase + request.Path + request.QueryString
            : (request.PathBase + request.Path).ToString();
}
