using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Sessions;

/// <summary>
/// Signs browsers in and out and keeps their tokens fresh. Access and refresh token stay in Redis; the cookie holds a
/// random id only. An access token about to expire is refreshed with the refresh token (one refresh per session at a
/// time); a refused refresh ends the session. The principal comes from the validated access token, so the roles and
/// verification level the services enforce are the ones the pages show.
/// </summary>
public sealed class SessionManager(SessionStore store, IdentityApi identity, IOptionsMonitor<JwtBearerOptions> bearer, TimeProvider clock,
    ILogger<SessionManager> logger)
{
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(60);

    public async Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext context)
    {
        var id = context.Request.Cookies[WebSessionCookie.Name];
        if (id is null)
        {
            return null;
        }
        if (!SessionStore.IsWellFormed(id) || await store.GetAsync(id) is not { } data)
        {
            context.Response.Cookies.Delete(WebSessionCookie.Name, WebSessionCookie.Options(context.Request));
            return null;
        }

        var now = clock.GetUtcNow();
        if (data.AccessExpiresAt - RefreshAhead <= now)
        {
            var refreshed = await RefreshAsync(id, data, context.RequestAborted);
            if (refreshed.Ended)
            {
                context.Response.Cookies.Delete(WebSessionCookie.Name, WebSessionCookie.Options(context.Request));
                return null;
            }
            if (refreshed.Data is null)
            {
                return null; // Identity unreachable: anonymous for this request, the session stays.
            }
            data = refreshed.Data;
        }

        // The same rules and keys as the bearer scheme: the token is Identity's, for the web's audience.
        var outcome = await bearer.Get(AuthExtensions.SchemeName).ValidateBearerTokenAsync(data.AccessToken);
        if (!outcome.IsValid)
        {
            logger.LogWarning("Session access token rejected: {Reason}", outcome.Exception?.GetType().Name);
            return null;
        }
        context.Features.Set(new WebSessionFeature(id, data));
        return new ClaimsPrincipal(outcome.ClaimsIdentity);
    }

    public async Task SignInAsync(HttpContext context, TokenResponse tokens, string? idToken)
    {
        // A new id at every sign-in (no session fixation); the old session, if any, ends.
        if (context.Request.Cookies[WebSessionCookie.Name] is { } old && SessionStore.IsWellFormed(old))
        {
            await store.DeleteAsync(old);
        }
        var id = SessionStore.NewId();
        await store.SaveAsync(id, ToData(tokens, clock.GetUtcNow()) with { IdToken = idToken });
        context.Response.Cookies.Append(WebSessionCookie.Name, id, WebSessionCookie.Options(context.Request));
    }

    /// <summary>
    /// Ends the web session: the tokens are deleted from Redis, so the refresh token (which never left the server) is
    /// gone; the access token expires within its lifetime. Returns the session's identity token, for ending the sign-in
    /// at Identity too (<see cref="WebSignIn"/>).
    /// </summary>
    public async Task<string?> SignOutAsync(HttpContext context)
    {
        string? idToken = null;
        var id = context.Request.Cookies[WebSessionCookie.Name];
        if (id is not null && SessionStore.IsWellFormed(id))
        {
            idToken = (await store.GetAsync(id))?.IdToken;
            await store.DeleteAsync(id);
        }
        context.Features.Set<WebSessionFeature?>(null);
        context.Response.Cookies.Delete(WebSessionCookie.Name, WebSessionCookie.Options(context.Request));
        return idToken;
    }

    private readonly record struct Refreshed(SessionData? Data, bool Ended);

    private async Task<Refreshed> RefreshAsync(string id, SessionData data, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(data.RefreshToken))
        {
            await store.DeleteAsync(id);
            return new Refreshed(null, Ended: true);
        }
        if (!await store.TryLockRefreshAsync(id))
        {
            // Another request of this browser refreshes right now: wait for its result.
            for (var i = 0; i < 25; i++)
            {
                await Task.Delay(200, ct);
                var current = await store.GetAsync(id);
                if (current is null)
                {
                    return new Refreshed(null, Ended: true);
                }
                if (current.AccessToken != data.AccessToken)
                {
                    return new Refreshed(current, Ended: false);
                }
            }
            return new Refreshed(null, Ended: false);
        }
        try
        {
            var result = await identity.RefreshGrantAsync(data.RefreshToken, ct);
            if (!result.Ok)
            {
                logger.LogInformation("Session ended: refresh refused with {Status}", result.Status);
                await store.DeleteAsync(id);
                return new Refreshed(null, Ended: true);
            }
            var tokens = result.Value!;
            var fresh = ToData(tokens with { RefreshToken = tokens.RefreshToken ?? data.RefreshToken }, clock.GetUtcNow()) with { CreatedAt = data.CreatedAt, IdToken = data.IdToken };
            await store.SaveAsync(id, fresh);
            return new Refreshed(fresh, Ended: false);
        }
        catch (BackendUnavailableException ex)
        {
            logger.LogWarning(ex, "Token refresh failed: Identity unavailable");
            return new Refreshed(null, Ended: false);
        }
        finally
        {
            await store.UnlockRefreshAsync(id);
        }
    }

    private static SessionData ToData(TokenResponse tokens, DateTimeOffset now) =>
        new(tokens.AccessToken, tokens.RefreshToken ?? "", now.AddSeconds(Math.Max(tokens.ExpiresIn, 30)), now);
}
