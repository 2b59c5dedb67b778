using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.ServiceDefaults.Auth;

public static class AuthExtensions
{
    public const string SchemeName = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>
    /// Every validator re-reads Identity's keys at least this often: a new signing key must be published this long
    /// before it signs (Identity schedules its key rollover with it).
    /// </summary>
    public static readonly TimeSpan KeyRefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>A token naming an unknown key makes a validator re-read the keys, at most once per this interval (flood protection for Identity).</summary>
    public static readonly TimeSpan UnknownKeyRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>Tolerance for clocks between Identity and the validators when checking exp and nbf.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The only signature algorithms accepted (no "none", no HMAC).</summary>
    public static readonly IReadOnlyList<string> Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    /// <summary>The HTTP client that fetches Identity's discovery document and keys.</summary>
    public const string MetadataClientName = "Mitreden.AuthMetadata";

    /// <summary>
    /// Registers JwtBearer as the "Bearer" scheme (default for authenticate, challenge and forbid) and the policies
    /// citizen, voter, moderator, staff, admin and service (<see cref="AuthSettings"/> for the configuration). Keys come
    /// from Identity's discovery document, re-read every <see cref="KeyRefreshInterval"/> and when a token names an
    /// unknown key. Components that know the keys themselves (Identity, tests) set <see cref="JwtBearerOptions.Configuration"/>.
    /// </summary>
    public static IServiceCollection AddMitredenAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var settings = AuthSettings.Load(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        // A small document from Identity nearby: 2 s per attempt, two retries within 5 s.
        services.AddHttpClient(MetadataClientName)
            .AddHttpMessageHandler(() => new IssuerAddressHandler(settings))
            .AddMitredenResilience(attemptTimeout: TimeSpan.FromSeconds(2), totalTimeout: TimeSpan.FromSeconds(5));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SchemeName;
                o.DefaultAuthenticateScheme = SchemeName;
                o.DefaultChallengeScheme = SchemeName;
                o.DefaultForbidScheme = SchemeName;
            })
            .AddJwtBearer(SchemeName, o =>
            {
                o.Authority = settings.Issuer;
                o.MetadataAddress = settings.MetadataAddress.AbsoluteUri;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                o.Audience = settings.Audience;
                o.MapInboundClaims = false;
                o.RefreshOnIssuerKeyNotFound = true;
                o.RefreshInterval = UnknownKeyRefreshInterval;
                o.AutomaticRefreshInterval = KeyRefreshInterval;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    // The key the token names, or none: an unknown kid is refused (and makes the keys be read again).
                    TryAllIssuerSigningKeys = false,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = ClockSkew,
                    ValidAlgorithms = Algorithms,
                    NameClaimType = MitredenClaimTypes.Name,
                    RoleClaimType = MitredenClaimTypes.Roles,
                };
                o.Events = new BearerProblemEvents();
            });
        services.AddOptions<JwtBearerOptions>(SchemeName)
            .Configure<IHttpClientFactory>((o, clients) => o.Backchannel = clients.CreateClient(MetadataClientName));

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Citizen, p => p
                .AddAuthenticationSchemes(SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.TryGetUserId(out _) && !c.User.IsInRole(MitredenRoles.CodeVoter)))
            .AddPolicy(AuthPolicies.Voter, p => p
                .AddAuthenticationSchemes(SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.TryGetUserId(out _)))
            .AddPolicy(AuthPolicies.Moderator, p => UserWithRole(p, MitredenRoles.Moderator, MitredenRoles.Staff, MitredenRoles.Admin))
            .AddPolicy(AuthPolicies.Staff, p => UserWithRole(p, MitredenRoles.Staff, MitredenRoles.Admin))
            .AddPolicy(AuthPolicies.Admin, p => UserWithRole(p, MitredenRoles.Admin))
            .AddPolicy(AuthPolicies.Service, p => p
                .AddAuthenticationSchemes(SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.IsServiceClient()));

        return services;
    }

    /// <summary>
    /// Validates a token as this component's bearer scheme does (same rules, same keys and key refresh), for tokens
    /// that arrive another way than an Authorization header (the web's session holds Identity's tokens).
    /// </summary>
    public static async Task<TokenValidationResult> ValidateBearerTokenAsync(this JwtBearerOptions options, string token)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parameters = options.TokenValidationParameters.Clone();
        if (options.ConfigurationManager is BaseConfigurationManager keys)
        {
            parameters.ConfigurationManager = keys;
        }

        return await TokenHandler.ValidateTokenAsync(token, parameters);
    }

    private static readonly JsonWebTokenHandler TokenHandler = new() { MapInboundClaims = false };

    private static void UserWithRole(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.AddAuthenticationSchemes(SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(roles);
}
