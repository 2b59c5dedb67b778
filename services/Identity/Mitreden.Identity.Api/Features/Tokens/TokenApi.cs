using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Accounts;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.SignIn;
using Mitreden.ServiceDefaults.Auth;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// What the token server asks of us once it has validated a request (client, grant, scopes, PKCE): who the subject is.
/// POST /connect/token: authorization_code (the web's code flow; an account's claims are read afresh), refresh_token
/// (rolling; the server revokes the sign-in on reuse, we refuse deleted accounts and refresh their claims), password
/// (the test client only, which only test configuration registers; with the abuse limits of <see cref="PasswordCheck"/>),
/// client_credentials (service clients), urn:mitreden:voting-code (closed groups, API clients) and
/// urn:mitreden:test-voter (load tests, only with Identity:AllowTestVoters, <see cref="TestVoterGrant"/>). The code flow's
/// browser endpoints are <see cref="AuthorizationApi"/>'s.
/// </summary>
public static class TokenApi
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(TokenServer.TokenPath, HandleAsync).AllowAnonymous().WithTags("Tokens");
        // The token server answers these itself (in the authentication middleware); the routes only let the requests get
        // that far, as unrouted paths are answered 404 before authentication.
        app.MapGet(TokenServer.DiscoveryPath, () => TypedResults.NotFound()).AllowAnonymous().WithTags("Discovery");
        app.MapGet(TokenServer.JwksPath, () => TypedResults.NotFound()).AllowAnonymous().WithTags("Discovery");
        return app;
    }

    private static async Task<IResult> HandleAsync([AsParameters] TokenContext c, CancellationToken ct)
    {
        var request = c.Http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The token server did not hand over the request.");
        if (request.IsAuthorizationCodeGrantType())
        {
            return await AuthorizationCodeAsync(c, request, ct);
        }
        if (request.IsPasswordGrantType())
        {
            return await PasswordAsync(c, request, ct);
        }
        if (request.IsRefreshTokenGrantType())
        {
            return await RefreshAsync(c, request, ct);
        }
        if (request.IsClientCredentialsGrantType())
        {
            // The server insists on a subject; TokenServer.AccessTokenContract removes it from the access token again.
            return SignIn(new TokenClaims { Subject = request.ClientId, Roles = [MitredenRoles.Service], ClientId = request.ClientId! }, request);
        }
        if (request.GrantType == TokenServer.VotingCodeGrant)
        {
            return await VotingCodeAsync(c, request, ct);
        }
        if (request.GrantType == TestVoterGrant.GrantType)
        {
            return await TestVoterGrant.HandleAsync(c, request, ct);
        }
        return Error(Errors.UnsupportedGrantType, "Supported: authorization_code, refresh_token, password, client_credentials, "
            + TokenServer.VotingCodeGrant + ".");
    }

    private static async Task<IResult> AuthorizationCodeAsync(TokenContext c, OpenIddictRequest request, CancellationToken ct)
    {
        // The server has checked the code (client, redirect URI, PKCE verifier, not used before) by now.
        var result = await c.Http.AuthenticateAsync(Scheme);
        var principal = result.Principal ?? throw new InvalidOperationException("The token server did not hand over the code's principal.");
        var subject = principal.GetClaim(Claims.Subject);
        if (principal.GetClaim(MitredenClaimTypes.Verification) != TokenClaims.CodeVerification)
        {
            var claims = Guid.TryParse(subject, out var userId)
                ? await TokenClaims.ForAccountAsync(c.Db, userId, request.ClientId!, c.Time.GetUtcNow(), ct)
                : null;
            if (claims is null)
            {
                return Error(Errors.InvalidGrant, "The authorization code is invalid or expired.");
            }
            return SignIn(claims, principal.GetScopes(), offlineAccess: principal.HasScope(Scopes.OfflineAccess));
        }
        // A code voter's claims are those of the redeemed code, as the authorization put them into the code (made anew:
        // the code keeps claims as strings, the token contract wants roles as an array).
        var codeVoter = new TokenClaims
        {
            Subject = subject,
            Roles = [TokenClaims.CodeVoterRole],
            Verification = TokenClaims.CodeVerification,
            ClientId = request.ClientId!,
            VotingGroup = Guid.TryParse(principal.GetClaim(MitredenClaimTypes.VotingGroup), out var group) ? group : null,
        };
        return SignIn(codeVoter, principal.GetScopes(), offlineAccess: false);
    }

    private static async Task<IResult> PasswordAsync(TokenContext c, OpenIddictRequest request, CancellationToken ct)
    {
        var http = c.Http;
        if (TestClientOnly(request) is { } refused)
        {
            return refused;
        }
        var email = request.Username ?? "";
        var password = request.Password ?? "";
        if (email.Length == 0 || password.Length == 0)
        {
            return Error(Errors.InvalidRequest, "The parameters 'username' (the email address) and 'password' are required.");
        }
        // Resolved here, not bound for every grant: the check's UserManager is costly to build, and only this grant needs it.
        var outcome = await http.RequestServices.GetRequiredService<PasswordCheck>().CheckAsync(http, email, password);
        if (outcome.RetryAfter is { } wait)
        {
            http.Response.Headers.CacheControl = "no-store";
            return AttemptGuard.TooMany(http, wait);
        }
        if (outcome.User is not { } user
            || await TokenClaims.ForAccountAsync(c.Db, user.Id, request.ClientId!, c.Time.GetUtcNow(), ct) is not { } claims)
        {
            return WrongCredentials();
        }
        return SignIn(claims, request, offlineAccess: true);
    }

    private static async Task<IResult> RefreshAsync(TokenContext c, OpenIddictRequest request, CancellationToken ct)
    {
        if (request.ClientId is not (Clients.WebClientId or Clients.TestClientId))
        {
            return Error(Errors.UnauthorizedClient, "This grant is only available to the first-party web client.");
        }
        // The server has checked the refresh token (signature, expiry, not revoked, not used before) by now.
        var result = await c.Http.AuthenticateAsync(Scheme);
        var subject = result.Principal?.GetClaim(Claims.Subject);
        var claims = Guid.TryParse(subject, out var userId)
            ? await TokenClaims.ForAccountAsync(c.Db, userId, request.ClientId, c.Time.GetUtcNow(), ct)
            : null;
        if (claims is null)
        {
            return Error(Errors.InvalidGrant, "The refresh token is invalid or expired.");
        }
        // A refreshed token keeps the scopes of the sign-in (a refresh request may only narrow them).
        var scopes = request.GetScopes().Length > 0 ? request.GetScopes() : result.Principal!.GetScopes();
        return SignIn(claims, scopes, offlineAccess: true);
    }

    private static async Task<IResult> VotingCodeAsync(TokenContext c, OpenIddictRequest request, CancellationToken ct)
    {
        var http = c.Http;
        if (request.ClientId is not null && request.ClientId != Clients.WebClientId)
        {
            return Error(Errors.UnauthorizedClient, "This grant is only available to the first-party web client.");
        }
        var code = request.Code ?? (string?)request["code"];
        if (string.IsNullOrEmpty(code))
        {
            return Error(Errors.InvalidRequest, "The parameter 'code' is required.");
        }
        var result = await VotingCodeExchange.ExchangeAsync(http, code, c.Db, c.Secrets, c.Settings, c.Limiter, c.Time, ct);
        if (result.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = FailureLimiter.RetryAfterHeader(wait);
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Json(new { error = "too_many_attempts", error_description = "Too many wrong codes from this address. Try again later." },
                statusCode: StatusCodes.Status429TooManyRequests);
        }
        if (result.Claims is not { } claims)
        {
            return Error(Errors.InvalidGrant, "The voting code is not valid.");
        }
        return SignIn(claims, request);
    }

    private static IResult SignIn(TokenClaims claims, OpenIddictRequest request, bool offlineAccess = false) =>
        SignIn(claims, request.GetScopes(), offlineAccess);

    private static IResult SignIn(TokenClaims claims, IEnumerable<string> scopes, bool offlineAccess)
    {
        var identity = claims.ToIdentity(scopes);
        if (scopes.Contains(Scopes.OpenId))
        {
            // The code flow's sign-ins keep their identity token through refreshes.
            identity.SetScopes(identity.GetScopes().Add(Scopes.OpenId));
        }
        if (offlineAccess)
        {
            // A refresh token is issued for the offline_access scope only; it carries no audience of its own.
            identity.SetScopes(identity.GetScopes().Add(Scopes.OfflineAccess));
        }
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    /// <summary>
    /// The password grant is the test client's only (registered by test configuration alone): the web signs people in
    /// with the code flow on Identity's page, which applies the same <see cref="PasswordCheck"/>.
    /// </summary>
    private static IResult? TestClientOnly(OpenIddictRequest request) => request.ClientId switch
    {
        null => Error(Errors.InvalidRequest, "The parameter 'client_id' is required."),
        Clients.TestClientId => null,
        _ => Error(Errors.UnauthorizedClient, "This grant is only available to the test client."),
    };

    private static IResult WrongCredentials() => Error(Errors.InvalidGrant, "The email address or the password is wrong.");

    internal static IResult Error(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [Scheme]);

    /// <summary>What the token endpoint needs, bound by the framework (services from DI).</summary>
    internal sealed record TokenContext(
        HttpContext Http, IdentityDb Db, IdentitySettings Settings, IdentitySecrets Secrets, FailureLimiter Limiter, TimeProvider Time);
}
