using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Keys;
using Mitreden.ServiceDefaults.Configuration;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Auth;
using OpenIddict.Abstractions;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>What an access token says about its holder (see CONVENTIONS "Tokens"); claim names from <see cref="MitredenClaimTypes"/>.</summary>
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

    public const string CodeVoterRole = MitredenRoles.CodeVoter;
    public const string CodeVerification = "code";

    /// <summary>
    /// The identity handed to the token server. Every claim goes into the access token, the subject also into the
    /// identity token (code flow); roles are always a JSON array, blocked_until a number, as validators expect.
    /// </summary>
    public ClaimsIdentity ToIdentity(IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(authenticationType: "mitreden", nameType: MitredenClaimTypes.Name, roleType: MitredenClaimTypes.Roles);
        if (Subject is not null)
        {
            identity.AddClaim(MitredenClaimTypes.Subject, Subject);
        }
        // One claim holding a JSON array: a single role stays a list in the token.
        identity.AddClaim(new Claim(MitredenClaimTypes.Roles, JsonSerializer.Serialize(Roles), JsonClaimValueTypes.JsonArray));
        AddOptional(identity, MitredenClaimTypes.Verification, Verification);
        AddOptional(identity, MitredenClaimTypes.District, District);
        AddOptional(identity, MitredenClaimTypes.Name, Name);
        if (BlockedUntil is { } blockedUntil)
        {
            identity.AddClaim(MitredenClaimTypes.BlockedUntil, blockedUntil.ToUnixTimeSeconds());
        }
        if (VotingGroup is { } group)
        {
            identity.AddClaim(MitredenClaimTypes.VotingGroup, group.ToString());
        }
        var granted = TokenScopes.Grant(scopes);
        identity.SetScopes(granted);
        identity.SetResources(TokenScopes.AudiencesOf(granted));
        // The subject also names the sign-in in the identity token (its only claim; the web reads the access token).
        identity.SetDestinations(c => c.Type == MitredenClaimTypes.Subject
            ? [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken]
            : [OpenIddictConstants.Destinations.AccessToken]);
        return identity;
    }

    private static void AddOptional(ClaimsIdentity identity, string type, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            identity.AddClaim(type, value);
        }
    }

    /// <summary>
    /// The claims of an account right now: roles, verification, district, display name and any active block; null when
    /// the account does not exist (any more). One round trip, compiled once: every token for a person needs it (code
    /// flow, refresh, the test client's password grant, load tests' test voters by the thousand).
    /// </summary>
    public static async Task<TokenClaims?> ForAccountAsync(IdentityDb db, Guid userId, string clientId, DateTimeOffset now, CancellationToken ct)
    {
        if (await AccountQuery(db, userId, now, ct) is not { } account)
        {
            return null;
        }
        return new TokenClaims
        {
            Subject = userId.ToString(),
            Roles = Contracts.Roles.All.Where(account.Roles.Contains).ToList(),
            Verification = MitredenUser.VerificationOf(account.ResidentDistrict, account.EmailConfirmed),
            District = account.ResidentDistrict,
            Name = account.DisplayName,
            ClientId = clientId,
            BlockedUntil = account.BlockedUntil,
        };
    }

    private sealed record AccountRow(string DisplayName, string? ResidentDistrict, bool EmailConfirmed, List<string> Roles, DateTimeOffset? BlockedUntil);

    private static readonly Func<IdentityDb, Guid, DateTimeOffset, CancellationToken, Task<AccountRow?>> AccountQuery =
        EF.CompileAsyncQuery((IdentityDb db, Guid userId, DateTimeOffset now, CancellationToken ct) => db.Users
            .Where(u => u.Id == userId)
            .Select(u => new AccountRow(
                u.DisplayName,
                u.ResidentDistrict,
                u.EmailConfirmed,
                db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                db.UserBlocks.Where(b => b.UserId == u.Id && b.LiftedAt == null && b.Until > now).Max(b => (DateTimeOffset?)b.Until)))
            .SingleOrDefault());

    /// <summary>Role names of a user, in the fixed order of <see cref="Roles.All"/>.</summary>
    public static async Task<List<string>> RolesOfAsync(IdentityDb db, Guid userId, CancellationToken ct)
    {
        var names = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(ct);
        return Contracts.Roles.All.Where(names.Contains).ToList();
    }
}

/// <summary>
/// Scopes and the audience (resource) each one grants: a token carries only the audiences of its scopes, plus the
/// gateway's and the web's, which every token passes through. A request without a scope gets every scope (what all
/// tokens carried before scopes existed), so callers that ask for nothing keep working; the web asks for what it uses.
/// </summary>
public static class TokenScopes
{
    public static readonly IReadOnlyDictionary<string, string> Resources = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["identity"] = "mitreden-identity",
        ["proposals"] = "mitreden-proposals",
        ["comments"] = "mitreden-comments",
        ["voting"] = "mitreden-voting",
        ["moderation"] = "mitreden-moderation",
    };

    /// <summary>On every token: the gateway checks each routed request, the web its own calls.</summary>
    public static readonly string[] BaseAudiences = ["mitreden-gateway", "mitreden-web"];

    public static IEnumerable<string> All => Resources.Keys;

    /// <summary>The scopes a token gets for what was asked (unknown scopes never get here: the server refuses them).</summary>
    public static string[] Grant(IEnumerable<string> requested)
    {
        var asked = requested.Where(Resources.ContainsKey).Distinct(StringComparer.Ordinal).ToArray();
        return asked.Length > 0 ? asked : Resources.Keys.ToArray();
    }

    public static string[] AudiencesOf(IEnumerable<string> scopes) =>
        scopes.Where(Resources.ContainsKey).Select(s => Resources[s]).Concat(BaseAudiences).Distinct(StringComparer.Ordinal).ToArray();
}
