using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Admin;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.VotingCodes;
using Mitreden.ServiceDefaults.Auth;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// What the token server asks of us once it has validated a request (client, grant, scopes, PKCE): who the subject is.
/// POST /connect/token: password (web client only, with the abuse limits), refresh_token (rolling; the server revokes
/// the sign-in on reuse, we refuse deleted accounts and refresh their claims), client_credentials (service clients) and
/// urn:mitreden:voting-code (closed groups); urn:mitreden:test-voter (load tests, <see cref="TestVoterGrant"/>). GET/POST /connect/authorize: the code flow's start; until Identity hosts
/// its sign-in page, every request answers login_required.
/// </summary>
public static class TokenApi
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    // Verified for unknown emails, so an unknown address costs as much time as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<MitredenUser>().HashPassword(null!, Guid.NewGuid().ToString()));

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(TokenServer.TokenPath, HandleAsync).AllowAnonymous().WithTags("Tokens");
        // The token server answers these itself (in the authentication middleware); the routes only let the requests get
        // that far, as unrouted paths are answered 404 before authentication.
        app.MapGet(TokenServer.DiscoveryPath, () => TypedResults.NotFound()).AllowAnonymous().WithTags("Discovery");
        app.MapGet(TokenServer.JwksPath, () => TypedResults.NotFound()).AllowAnonymous().WithTags("Discovery");
        app.MapMethods(TokenServer.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], Authorize).AllowAnonymous()
            .WithTags("Tokens").ExcludeFromDescription();
        return app;
    }

    private static IResult Authorize() =>
        Error(Errors.LoginRequired, "Sign-in through Identity's own pages is not available yet.");

    private static async Task<IResult> HandleAsync([AsParameters] TokenContext c, CancellationToken ct)
    {
        var request = c.Http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The token server did not hand over the request.");
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
        return Error(Errors.UnsupportedGrantType, "Supported: password, refresh_token, client_credentials, " + TokenServer.VotingCodeGrant + ".");
    }

    private static async Task<IResult> PasswordAsync(TokenContext c, OpenIddictRequest request, CancellationToken ct)
    {
        var http = c.Http;
        if (WebClientOnly(request) is { } refused)
        {
            return refused;
        }
        var email = request.Username ?? "";
        var password = request.Password ?? "";
        if (email.Length == 0 || password.Length == 0)
        {
            return Error(Errors.InvalidRequest, "The parameters 'username' (the email address) and 'password' are required.");
        }

        // The lockout and the limits are AttemptLimits' (per address, per account and address, per account); they
        // count unknown addresses alike, so no answer tells whether an account exists.
        if (await c.Guard.SignInRefusedAsync(http, email) is { } wait)
        {
            http.Response.Headers.CacheControl = "no-store";
            return AttemptGuard.TooMany(http, wait);
        }
        var users = c.Users;
        var user = email.Length <= 256 ? await users.FindByEmailAsync(email) : null;
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(null!, DecoyHash.Value, password);
            await c.Guard.SignInFailedAsync(http, email);
            return WrongCredentials();
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            await c.Guard.SignInFailedAsync(http, email);
            return WrongCredentials();
        }
        await c.Guard.SignInSucceededAsync(http, email);
        var claims = await TokenClaims.ForUserAsync(c.Db, user, Clients.WebClientId, c.Time.GetUtcNow(), ct);
        return SignIn(claims, request, offlineAccess: true);
    }

    private static async Task<IResult> RefreshAsync(TokenContext c, OpenIddictRequest request, CancellationToken ct)
    {
        if (WebClientOnly(request) is { } refused)
        {
            return refused;
        }
        // The server has checked the refresh token (signature, expiry, not revoked, not used before) by now.
        var result = await c.Http.AuthenticateAsync(Scheme);
        var subject = result.Principal?.GetClaim(Claims.Subject);
        var user = Guid.TryParse(subject, out var userId) ? await c.Db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) : null;
        if (user is null)
        {
            return Error(Errors.InvalidGrant, "The refresh token is invalid or expired.");
        }
        var claims = await TokenClaims.ForUserAsync(c.Db, user, Clients.WebClientId, c.Time.GetUtcNow(), ct);
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
        if (offlineAccess)
        {
            // A refresh token is issued for the offline_access scope only; it carries no audience of its own.
            identity.SetScopes(identity.GetScopes().Add(Scopes.OfflineAccess));
        }
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    /// <summary>Password and refresh grants are for the first-party web client only (the server has authenticated it).</summary>
    private static IResult? WebClientOnly(OpenIddictRequest request) => request.ClientId switch
    {
        null => Error(Errors.InvalidRequest, "The parameter 'client_id' is required."),
        Clients.WebClientId => null,
        _ => Error(Errors.UnauthorizedClient, "This grant is only available to the first-party web client."),
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
        HttpContext Http, IdentityDb Db, UserManager<MitredenUser> Users, IdentitySettings Settings, IdentitySecrets Secrets,
        FailureLimiter Limiter, AttemptGuard Guard, TimeProvider Time);
}
