using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Keys;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>What an access token says about its holder (see CONVENTIONS "Tokens").</summary>
public sealed record TokenClaims
{
    /// <summary>User id, or the code's random subject for code voters; null for service clients.</summary>
    public string? Subject { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }
    public string? Verification { get; init; }
    public string? District { get; init; }
    public string? Name { get; init; }
    public required string ClientId { get; init; }
    /// <summary>Set while the user is blocked: other services refuse posting until then.</summary>
    public DateTimeOffset? BlockedUntil { get; init; }
    public Guid? VotingGroup { get; init; }
}

public sealed record IssuedAccessToken(string Token, string TokenId, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>Writes and signs RS256 access tokens: iss = Auth:Issuer, aud = every Mitreden audience.</summary>
public sealed class AccessTokenIssuer(SigningKeyRing ring, AuthSettings validation, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    public const string CodeVoterRole = "code-voter";
    public const string CodeVerification = "code";

    /// <summary>One token is good for every service (each checks that its own audience is in the list).</summary>
    public static readonly string[] Audiences =
    [
        "mitreden-identity", "mitreden-proposals", "mitreden-comments", "mitreden-voting",
        "mitreden-moderation", "mitreden-gateway", "mitreden-web",
    ];

    public IssuedAccessToken Issue(TokenClaims claims, TimeSpan? lifetime = null)
    {
        var span = lifetime ?? DefaultLifetime;
        if (span <= TimeSpan.Zero || span > SigningKeyRing.MaxTokenLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "Token lifetime must be positive and at most the published maximum.");
        }
        var now = time.GetUtcNow();
        var issuedAt = now.ToUnixTimeSeconds();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(issuedAt) + span;
        var tokenId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        using var buffer = new MemoryStream(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", validation.Issuer);
            json.WriteStartArray("aud");
            foreach (var audience in Audiences)
            {
                json.WriteStringValue(audience);
            }
            json.WriteEndArray();
            if (claims.Subject is not null)
            {
                json.WriteString("sub", claims.Subject);
            }
            json.WriteNumber("iat", issuedAt);
            json.WriteNumber("nbf", issuedAt);
            json.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            json.WriteString("jti", tokenId);
            json.WriteString("client_id", claims.ClientId);
            json.WriteStartArray("roles");
            foreach (var role in claims.Roles)
            {
                json.WriteStringValue(role);
            }
            json.WriteEndArray();
            WriteOptional(json, "verification", claims.Verification);
            WriteOptional(json, "district", claims.District);
            WriteOptional(json, "name", claims.Name);
            if (claims.BlockedUntil is { } blockedUntil)
            {
                json.WriteNumber("blocked_until", blockedUntil.ToUnixTimeSeconds());
            }
            if (claims.VotingGroup is { } group)
            {
                json.WriteString("voting_group", group.ToString());
            }
            json.WriteEndObject();
        }

        var token = ring.CreateJwt(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return new IssuedAccessToken(token, tokenId, expiresAt, (int)span.TotalSeconds);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The claims of an account right now: roles, verification, district, display name and any active block.</summary>
    public static async Task<TokenClaims> ForUserAsync(IdentityDb db, MitredenUser user, string clientId, DateTimeOffset now, CancellationToken ct)
    {
        var roles = await RolesOfAsync(db, user.Id, ct);
        var blockedUntil = await db.UserBlocks
            .Where(b => b.UserId == user.Id && b.LiftedAt == null && b.Until > now)
            .MaxAsync(b => (DateTimeOffset?)b.Until, ct);
        return new TokenClaims
        {
            Subject = user.Id.ToString(),
            Roles = roles,
            Verification = user.Verification,
            District = user.ResidentDistrict,
            Name = user.DisplayName,
            ClientId = clientId,
            BlockedUntil = blockedUntil,
        };
    }

    /// <summary>Role names of a user, in the fixed order of <see cref="Roles.All"/>.</summary>
    public static async Task<List<string>> RolesOfAsync(IdentityDb db, Guid userId, CancellationToken ct)
    {
        var names = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(ct);
        return Roles.All.Where(names.Contains).ToList();
    }
}
