using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Api.Features.Tokens;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Identity.Api.Features.Keys;

public static class KeysApi
{
    /// <summary>OIDC discovery and JWKS (anonymous); staff list the signing keys, only admins rotate them.</summary>
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("/.well-known").WithTags("Discovery").AllowAnonymous();
        wellKnown.MapGet("/openid-configuration", Discovery);
        wellKnown.MapGet("/jwks.json", Jwks);

        var admin = app.MapGroup("/admin/keys").WithTags("Signing keys").RequireAuthorization(AuthPolicies.Staff);
        admin.MapGet("/", ListKeys);
        // A forced rotation makes every component fetch the new key before it accepts fresh tokens (seconds of 401s):
        // an administrator's decision, not an everyday staff tool.
        admin.MapPost("/rotate", RotateAsync).RequireAuthorization(AuthPolicies.Admin);
        return app;
    }

    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static JsonHttpResult<DiscoveryDocument> Discovery(HttpContext http, AuthSettings validation)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        var issuer = validation.Issuer.TrimEnd('/');
        return TypedResults.Json(new DiscoveryDocument(
            Issuer: validation.Issuer,
            JwksUri: issuer + "/.well-known/jwks.json",
            TokenEndpoint: issuer + "/connect/token",
            GrantTypesSupported: ["password", "refresh_token", "client_credentials", TokenApi.VotingCodeGrant],
            ResponseTypesSupported: ["token"],
            SubjectTypesSupported: ["public"],
            IdTokenSigningAlgValuesSupported: [SecurityAlgorithms.RsaSha256],
            TokenEndpointAuthMethodsSupported: ["client_secret_basic", "client_secret_post", "none"],
            ClaimsSupported: ["iss", "aud", "sub", "exp", "nbf", "iat", "jti", "roles", "verification", "district", "name",
                "client_id", "blocked_until", "voting_group"]), SnakeCase);
    }

    private static ContentHttpResult Jwks(HttpContext http, SigningKeyRing ring)
    {
        // Short: a forced rotation must reach the other services' key stores quickly.
        http.Response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.Text(ring.PublishedKeys.ToJson(), "application/json");
    }

    private static async Task<Ok<List<SigningKeyInfo>>> ListKeys(IdentityDb db, SigningKeyRing ring, TimeProvider time, CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - SigningKeyRing.PublishAfterRetirement;
        var active = ring.ActiveKeyId;
        var keys = await db.SigningKeys.AsNoTracking().Where(k => k.RetiresAt > cutoff)
            .OrderByDescending(k => k.ActivatesAt)
            .Select(k => new { k.Kid, k.CreatedAt, k.ActivatesAt, k.RetiresAt })
            .ToListAsync(ct);
        return TypedResults.Ok(keys.Select(k => new SigningKeyInfo(k.Kid, k.CreatedAt, k.ActivatesAt, k.RetiresAt,
            k.RetiresAt + SigningKeyRing.PublishAfterRetirement, k.Kid == active)).ToList());
    }

    private static async Task<Ok<RotatedKey>> RotateAsync(HttpContext http, IdentityDb db, SigningKeyRing ring, IdentitySecrets secrets,
        IdentitySettings settings, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var previous = ring.ActiveKeyId;
        SigningKey? created = null;
        var keys = await SigningKeyRotation.EnsureAsync(db, secrets, settings, now, force: true, ct, onCreated: key =>
        {
            created = key;
            // Saved in the same SaveChanges as the key itself.
            AuditLog.Add(db, http.User.UserId(), AuditActions.SigningKeyRotated, AuditTargets.SigningKey, key.Kid, new { previous }, now);
        });
        ring.Apply(keys);
        return TypedResults.Ok(new RotatedKey(created!.Kid, previous, created.ActivatesAt, created.RetiresAt));
    }
}

public sealed record DiscoveryDocument(
    string Issuer, string JwksUri, string TokenEndpoint, string[] GrantTypesSupported, string[] ResponseTypesSupported,
    string[] SubjectTypesSupported, string[] IdTokenSigningAlgValuesSupported, string[] TokenEndpointAuthMethodsSupported,
    string[] ClaimsSupported);

public sealed record SigningKeyInfo(string Kid, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, DateTimeOffset RetiresAt,
    DateTimeOffset PublishedUntil, bool Active);

public sealed record RotatedKey(string Kid, string? PreviousKid, DateTimeOffset ActivatesAt, DateTimeOffset RetiresAt);
