using Microsoft.IdentityModel.Tokens;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Keys;
using Mitreden.ServiceDefaults.Configuration;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// The OpenID Connect server (OpenIddict) on Identity's database. Access tokens are signed, unencrypted JWTs (RS256)
/// for the issuer Auth:Issuer; refresh tokens and codes are encrypted and signed with keys derived from
/// Identity:KeyEncryptionKey, so a rotation of the public signing keys never invalidates a sign-in.
/// </summary>
public static class TokenServer
{
    public const string TokenPath = "/connect/token";
    public const string AuthorizePath = "/connect/authorize";
    public const string EndSessionPath = "/connect/endsession";
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string JwksPath = "/.well-known/jwks.json";
    public const string VotingCodeGrant = "urn:mitreden:voting-code";

    public static IServiceCollection AddTokenServer(this IServiceCollection services, IConfiguration configuration,
        IdentitySettings settings, IdentitySecrets secrets, SigningKeys keys)
    {
        var issuer = configuration.GetRequired("Auth:Issuer");
        services.AddSingleton(keys);
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(issuer, UriKind.Absolute));
                server.SetTokenEndpointUris(Endpoint(issuer, TokenPath))
                    .SetAuthorizationEndpointUris(Endpoint(issuer, AuthorizePath))
                    .SetEndSessionEndpointUris(Endpoint(issuer, EndSessionPath))
                    .SetConfigurationEndpointUris(Endpoint(issuer, DiscoveryPath))
                    .SetJsonWebKeySetEndpointUris(Endpoint(issuer, JwksPath));

                server.AllowPasswordFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowCustomFlow(VotingCodeGrant);
                if (settings.AllowTestVoters)
                {
                    // Load tests only: without the setting the grant is neither advertised nor accepted.
                    server.AllowCustomFlow(TestVoterGrant.GrantType);
                    server.AddEventHandler(TestVoterGrant.SkipTokenRow.Descriptor);
                }
                // Code voters redeem their code without a client (as before); the endpoint decides per grant who may call.
                server.AcceptAnonymousClients();
                server.RegisterScopes([.. TokenScopes.All]);
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                server.SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(TimeSpan.FromDays(settings.RefreshTokenLifetimeDays))
                    // No grace period: a refresh token presented a second time revokes the whole sign-in at once.
                    .SetRefreshTokenReuseLeeway(TimeSpan.Zero);

                server.DisableAccessTokenEncryption();
                server.AddEncryptionKey(new SymmetricSecurityKey(secrets.TokenEncryptionKey));
                // The symmetric key signs what only Identity reads (refresh tokens, codes); every configured RSA key is
                // published, and ActiveSigningKeyHandler picks the one that signs access tokens.
                server.AddSigningKey(new SymmetricSecurityKey(secrets.TokenSigningKey));
                foreach (var key in keys.All)
                {
                    server.AddSigningCredentials(key.Credentials);
                }
                server.AddEventHandler<OpenIddictServerEvents.GenerateTokenContext>(handler => handler
                    .UseSingletonHandler<ActiveSigningKeyHandler>()
                    .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
                    .SetType(OpenIddictServerHandlerType.Custom));

                server.AddEventHandler<OpenIddictServerEvents.ProcessSignInContext>(handler => handler
                    .UseSingletonHandler<AccessTokenContract>()
                    .SetOrder(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order + 1)
                    .SetType(OpenIddictServerHandlerType.Custom));

                server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // TLS ends at the ingress; Identity itself listens on plain HTTP inside the cluster.
                    .DisableTransportSecurityRequirement();
            });
        services.AddHostedService<TokenPruning>();
        return services;
    }

    /// <summary>
    /// Discovery names the first URI of each endpoint: the public one under the issuer (behind the gateway). Requests
    /// reach Identity with that prefix removed, so they match the second, relative one.
    /// </summary>
    private static Uri[] Endpoint(string issuer, string path) =>
        [new Uri(issuer.TrimEnd('/') + path, UriKind.Absolute), new Uri(path.TrimStart('/'), UriKind.Relative)];

    /// <summary>
    /// Two differences from what the server would write, both to keep the token contract: a service's token names no
    /// subject (validators tell services from people by that; the server requires one at sign-in, so it is the client
    /// id there and is dropped here), and a voting code redeemed (or a test voter's token taken) without a client is
    /// still a token of the web client.
    /// </summary>
    private sealed class AccessTokenContract : IOpenIddictServerHandler<OpenIddictServerEvents.ProcessSignInContext>
    {
        public ValueTask HandleAsync(OpenIddictServerEvents.ProcessSignInContext context)
        {
            if (context.AccessTokenPrincipal is not { } principal)
            {
                return ValueTask.CompletedTask;
            }
            if (context.Request.IsClientCredentialsGrantType())
            {
                principal.RemoveClaims(Claims.Subject);
            }
            else if (context.Request.GrantType is VotingCodeGrant or TestVoterGrant.GrantType && string.IsNullOrEmpty(context.ClientId))
            {
                principal.SetClaim(Claims.ClientId, Clients.WebClientId);
            }
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Access and identity tokens are signed by the key <see cref="SigningKeys.Active"/> names at this moment.</summary>
    private sealed class ActiveSigningKeyHandler(SigningKeys keys) : IOpenIddictServerHandler<OpenIddictServerEvents.GenerateTokenContext>
    {
        public ValueTask HandleAsync(OpenIddictServerEvents.GenerateTokenContext context)
        {
            if (context.TokenType is TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken)
            {
                context.SigningCredentials = keys.Active.Credentials;
            }
            return ValueTask.CompletedTask;
        }
    }
}
