using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// <c>grant_type=urn:mitreden:test-voter</c> at the token endpoint: an access token for one account made by
/// <c>POST /admin/test-voters</c>, in exchange for the <c>voter_id</c> and <c>voter_key</c> that call returned. The
/// server registers the grant only with Identity:AllowTestVoters=true; otherwise discovery does not list it and the
/// server answers unsupported_grant_type. The key is a MAC of the id (Identity's secret), so only staff of such a stack
/// can hand one out, and no other account can be named. Like the voting-code grant it takes no client; the token is
/// the web client's, with the audiences of the requested scopes (all when none is asked for).
/// No refresh token, and no token row (see <see cref="SkipTokenRow"/>).
/// </summary>
public static class TestVoterGrant
{
    public const string GrantType = "urn:mitreden:test-voter";
    public const string VoterIdParameter = "voter_id";
    public const string VoterKeyParameter = "voter_key";

    /// <summary>Longer than the 5-minute limit of every other token, test stacks only: a load run must not refresh.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(60);

    public static string KeyOf(IdentitySecrets secrets, Guid userId) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(secrets.TestVoterKey, userId.ToByteArray()));

    internal static async Task<IResult> HandleAsync(TokenApi.TokenContext c, OpenIddictRequest request, CancellationToken ct)
    {
        if (!c.Settings.AllowTestVoters)
        {
            // The server does not accept the grant then; this guards against a registration that drifted from the setting.
            return TokenApi.Error(Errors.UnsupportedGrantType, "Test voters are not enabled.");
        }
        if (request.ClientId is not null)
        {
            return TokenApi.Error(Errors.UnauthorizedClient, "This grant takes no client.");
        }
        var id = (string?)request[VoterIdParameter];
        var key = (string?)request[VoterKeyParameter];
        if (!Guid.TryParse(id, out var userId) || string.IsNullOrEmpty(key))
        {
            return TokenApi.Error(Errors.InvalidRequest, $"The parameters '{VoterIdParameter}' (a test voter's id) and '{VoterKeyParameter}' are required.");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(KeyOf(c.Secrets, userId)), Encoding.UTF8.GetBytes(key)))
        {
            return TokenApi.Error(Errors.InvalidGrant, "The test voter's key is not valid.");
        }
        // The account's claims are read like any account's (roles and blocks may have changed since it was made).
        var claims = await TokenClaims.ForAccountAsync(c.Db, userId, Clients.WebClientId, c.Time.GetUtcNow(), ct);
        if (claims is null)
        {
            return TokenApi.Error(Errors.InvalidGrant, "The test voter does not exist (any more).");
        }
        var principal = new ClaimsPrincipal(claims.ToIdentity(request.GetScopes()));
        principal.SetAccessTokenLifetime(TokenLifetime);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// A test voter's access token gets no row in oidc_tokens. The rows of access tokens are read only by OpenIddict's
    /// introspection and revocation endpoints, which this server does not offer: every component validates the JWT
    /// itself (signature, issuer, audience, expiry), and a deleted or blocked account is refused by the services'
    /// refused-subjects list, not by a row. So for ~140,000 tokens of a load run a row would be an INSERT each, written
    /// and never read, and then pruned. Refresh tokens, codes and the other grants keep their rows (reuse detection,
    /// revocation of a sign-in).
    /// </summary>
    public sealed class SkipTokenRow : IOpenIddictServerHandler<OpenIddictServerEvents.GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.GenerateTokenContext>()
                .UseSingletonHandler<SkipTokenRow>()
                .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(OpenIddictServerEvents.GenerateTokenContext context)
        {
            if (context.TokenType == TokenTypeIdentifiers.AccessToken && context.Request?.GrantType == GrantType)
            {
                context.CreateTokenEntry = false;
            }
            return ValueTask.CompletedTask;
        }
    }
}
