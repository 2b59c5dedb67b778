using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.VotingCodes;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// POST /connect/token (RFC 6749): password (first-party web client only), refresh_token (rotating),
/// client_credentials (services) and urn:mitreden:voting-code (closed groups). No other flows.
/// </summary>
public static class TokenApi
{
    public const string VotingCodeGrant = "urn:mitreden:voting-code";

    // Verified for unknown emails, so an unknown address costs as much time as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<MitredenUser>().HashPassword(null!, Guid.NewGuid().ToString()));

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", HandleAsync)
            .AllowAnonymous()
            .WithTags("Tokens")
            .Produces<TokenResponse>()
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status401Unauthorized)
            .Produces<OAuthError>(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> HandleAsync([AsParameters] TokenContext c, CancellationToken ct)
    {
        var http = c.Http;
        if (!http.Request.HasFormContentType
            || !MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return OAuthResults.Error(http, "invalid_request", "The request must be application/x-www-form-urlencoded.");
        }
        var form = await http.Request.ReadFormAsync(ct);
        foreach (var (name, values) in form)
        {
            if (values.Count > 1)
            {
                return OAuthResults.Error(http, "invalid_request", $"The parameter '{name}' must not be repeated.");
            }
        }

        if (!TryReadClient(http.Request, form, out var client))
        {
            return OAuthResults.Error(http, "invalid_request", "Client credentials were sent in more than one way or are malformed.");
        }

        var grantType = form["grant_type"].ToString();
        return grantType switch
        {
            "password" => await PasswordAsync(c, form, client, ct),
            "refresh_token" => await RefreshAsync(c, form, client, ct),
            "client_credentials" => ClientCredentials(c, client),
            VotingCodeGrant => await VotingCodeAsync(c, form, client, ct),
            "" => OAuthResults.Error(http, "invalid_request", "The parameter 'grant_type' is required."),
            _ => OAuthResults.Error(http, "unsupported_grant_type", "Supported: password, refresh_token, client_credentials, " + VotingCodeGrant + "."),
        };
    }

    private static async Task<IResult> PasswordAsync(TokenContext c, IFormCollection form, PresentedClient client, CancellationToken ct)
    {
        var http = c.Http;
        if (CheckWebClient(c, client) is { } refused)
        {
            return refused;
        }
        var email = form["username"].ToString();
        var password = form["password"].ToString();
        if (email.Length == 0 || password.Length == 0)
        {
            return OAuthResults.Error(http, "invalid_request", "The parameters 'username' (the email address) and 'password' are required.");
        }

        // The lockout and the limits are AttemptLimits' (per address, per account and address, per account); they
        // count unknown addresses alike, so no answer tells whether an account exists.
        if (await c.Guard.SignInRefusedAsync(http, email) is { } wait)
        {
            OAuthResults.NoStore(http);
            return AttemptGuard.TooMany(http, wait);
        }
        var users = c.Users;
        var user = email.Length <= 256 ? await users.FindByEmailAsync(email) : null;
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(null!, DecoyHash.Value, password);
            await c.Guard.SignInFailedAsync(http, email);
            return WrongCredentials(http);
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            await c.Guard.SignInFailedAsync(http, email);
            return WrongCredentials(http);
        }
        await c.Guard.SignInSucceededAsync(http, email);

        var db = c.Db;
        var settings = c.Settings;
        var now = c.Time.GetUtcNow();
        var refresh = RefreshTokens.Add(db, user.Id, client.Id!, Guid.CreateVersion7(), now, TimeSpan.FromDays(settings.RefreshTokenLifetimeDays));
        await db.SaveChangesAsync(ct);
        var claims = await AccessTokenIssuer.ForUserAsync(db, user, client.Id!, now, ct);
        var access = c.Issuer.Issue(claims);
        return OAuthResults.Success(http, TokenResponse.From(access, refresh));
    }

    private static async Task<IResult> RefreshAsync(TokenContext c, IFormCollection form, PresentedClient client, CancellationToken ct)
    {
        var http = c.Http;
        if (CheckWebClient(c, client) is { } refused)
        {
            return refused;
        }
        var value = form["refresh_token"].ToString();
        if (value.Length == 0)
        {
            return OAuthResults.Error(http, "invalid_request", "The parameter 'refresh_token' is required.");
        }

        var db = c.Db;
        var settings = c.Settings;
        var logger = c.Logger;
        var now = c.Time.GetUtcNow();
        var (outcome, token) = await RefreshTokens.RedeemAsync(db, value, client.Id!, now, ct);
        if (outcome == RefreshTokens.Outcome.Reused)
        {
            logger.LogWarning("A used refresh token was presented again; family {FamilyId} of user {UserId} revoked", token!.FamilyId, token.UserId);
            return OAuthResults.Error(http, "invalid_grant", "The refresh token was already used; all tokens of this sign-in are revoked. Please sign in again.");
        }
        if (outcome == RefreshTokens.Outcome.Invalid)
        {
            return OAuthResults.Error(http, "invalid_grant", "The refresh token is invalid or expired.");
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == token!.UserId, ct);
        if (user is null)
        {
            return OAuthResults.Error(http, "invalid_grant", "The refresh token is invalid or expired.");
        }
        var refresh = RefreshTokens.Add(db, user.Id, client.Id!, token!.FamilyId, now, TimeSpan.FromDays(settings.RefreshTokenLifetimeDays));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request redeemed the same token at the same moment: that is reuse too.
            db.ChangeTracker.Clear();
            await RefreshTokens.RevokeFamilyAsync(db, token.FamilyId, now, ct);
            logger.LogWarning("A refresh token was redeemed twice concurrently; family {FamilyId} revoked", token.FamilyId);
            return OAuthResults.Error(http, "invalid_grant", "The refresh token was already used; all tokens of this sign-in are revoked. Please sign in again.");
        }
        var claims = await AccessTokenIssuer.ForUserAsync(db, user, client.Id!, now, ct);
        var access = c.Issuer.Issue(claims);
        return OAuthResults.Success(http, TokenResponse.From(access, refresh));
    }

    private static IResult ClientCredentials(TokenContext c, PresentedClient client)
    {
        var http = c.Http;
        if (client.Id is null)
        {
            return OAuthResults.Error(http, "invalid_client", "Client authentication is required.", StatusCodes.Status401Unauthorized);
        }
        var clients = c.Clients;
        if (!clients.Authenticate(client.Id, client.Secret))
        {
            return OAuthResults.InvalidClient(http, client.UsedBasic);
        }
        var access = c.Issuer.Issue(new TokenClaims
        {
            Roles = [MitredenRoles.Service],
            ClientId = client.Id,
        });
        return OAuthResults.Success(http, TokenResponse.From(access));
    }

    private static async Task<IResult> VotingCodeAsync(TokenContext c, IFormCollection form, PresentedClient client, CancellationToken ct)
    {
        var http = c.Http;
        if (client.Id is not null && CheckWebClient(c, client) is { } refused)
        {
            return refused;
        }
        var code = form["code"].ToString();
        if (code.Length == 0)
        {
            return OAuthResults.Error(http, "invalid_request", "The parameter 'code' is required.");
        }
        var result = await VotingCodeExchange.ExchangeAsync(c.Http, code, c.Db, c.Secrets, c.Settings, c.Limiter, c.Issuer, c.Time, ct);
        if (result.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = FailureLimiter.RetryAfterHeader(wait);
            return OAuthResults.Error(http, "too_many_attempts", "Too many wrong codes from this address. Try again later.", StatusCodes.Status429TooManyRequests);
        }
        return result.Token is { } token
            ? OAuthResults.Success(http, TokenResponse.From(token))
            : OAuthResults.Error(http, "invalid_grant", "The voting code is not valid.");
    }

    /// <summary>Password and refresh grants are for the first-party web client only (public unless a secret is configured).</summary>
    private static IResult? CheckWebClient(TokenContext c, PresentedClient client)
    {
        var http = c.Http;
        if (client.Id is null)
        {
            return OAuthResults.Error(http, "invalid_request", "The parameter 'client_id' is required.");
        }
        if (client.Id != ClientRegistry.WebClientId)
        {
            return OAuthResults.Error(http, "unauthorized_client", "This grant is only available to the first-party web client.");
        }
        var clients = c.Clients;
        var authenticated = clients.IsConfidential(client.Id)
            ? clients.Authenticate(client.Id, client.Secret)
            : client.Secret is null;
        return authenticated ? null : OAuthResults.InvalidClient(http, client.UsedBasic);
    }

    private static IResult WrongCredentials(HttpContext http) =>
        OAuthResults.Error(http, "invalid_grant", "The email address or the password is wrong.");

    /// <summary>What the token endpoint needs, bound by the framework (services from DI).</summary>
    internal sealed record TokenContext(
        HttpContext Http, IdentityDb Db, UserManager<MitredenUser> Users, AccessTokenIssuer Issuer, ClientRegistry Clients,
        IdentitySettings Settings, IdentitySecrets Secrets, FailureLimiter Limiter, AttemptGuard Guard, TimeProvider Time, ILogger<TokenContext> Logger);

    private readonly record struct PresentedClient(string? Id, string? Secret, bool UsedBasic);

    /// <summary>client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret in Basic) or client_id/client_secret in the body.</summary>
    private static bool TryReadClient(HttpRequest request, IFormCollection form, out PresentedClient client)
    {
        client = default;
        var formId = NullIfEmpty(form["client_id"]);
        var formSecret = NullIfEmpty(form["client_secret"]);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (formSecret is not null)
            {
                return false;
            }
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }
            var colon = decoded.IndexOf(':');
            if (colon <= 0)
            {
                return false;
            }
            var id = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
            var secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
            if (formId is not null && formId != id)
            {
                return false;
            }
            client = new PresentedClient(id, secret, UsedBasic: true);
            return true;
        }
        client = new PresentedClient(formId, formSecret, UsedBasic: false);
        return true;
    }

    private static string? NullIfEmpty(StringValues value) => StringValues.IsNullOrEmpty(value) ? null : value.ToString();
}
