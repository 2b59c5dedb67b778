using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mitreden.Identity.Api.Features.SignIn;

/// <summary>
/// The browser's side of the token server, once it has validated a request (client, redirect URI, PKCE S256, scopes):
/// GET/POST /connect/authorize issues a code for Identity's sign-in session, or sends the browser to the page that
/// makes one (sign-in, or voting code when the web asks for it) and back; GET/POST /connect/endsession ends that
/// session and returns to the client's registered post-logout address. Both anonymous: the session cookie is the caller.
/// </summary>
public static class AuthorizationApi
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapAuthorizationApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(TokenServer.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).AllowAnonymous()
            .WithTags("Tokens").ExcludeFromDescription();
        app.MapMethods(TokenServer.EndSessionPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync).AllowAnonymous()
            .WithTags("Tokens").ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, IdentityDb db, IConfiguration configuration, TimeProvider time,
        CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The token server did not hand over the request.");
        var votingCode = (string?)request[SignInSession.EntryParameter] == SignInSession.VotingCodeEntry;
        var session = (await http.AuthenticateAsync(SignInSession.Scheme)).Principal;
        // A session of the other kind does not count: asking for the voting-code page shows it even to a signed-in
        // account, and a code voter who wants to sign in with an account gets the sign-in page.
        var claims = session is not null && SignInSession.IsCodeVoter(session) == votingCode
            ? await SignInSession.ClaimsAsync(session, db, request.ClientId!, time.GetUtcNow(), ct)
            : null;
        if (claims is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "Nobody is signed in at Identity.",
                }), [Scheme]);
            }
            var page = votingCode ? SignInSession.VotingCodePage : SignInSession.SignInPage;
            return Results.Redirect($"{page}?returnUrl={Uri.EscapeDataString(SignInSession.AuthorizeUrl(configuration, request))}");
        }

        var scopes = request.GetScopes();
        var identity = claims.ToIdentity(scopes);
        // Protocol scopes as asked: an identity token (openid) always, a refresh token (offline_access) for accounts only
        // — a code voter's sign-in ends with its access token, as it always has.
        var protocol = scopes.Where(s => s == Scopes.OpenId || (s == Scopes.OfflineAccess && !SignInSession.IsCodeVoter(session!)));
        identity.SetScopes(identity.GetScopes().AddRange(protocol));
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http)
    {
        await http.SignOutAsync(SignInSession.Scheme);
        // To the client's post_logout_redirect_uri (checked against its registration), else the start page.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Scheme]);
    }
}
