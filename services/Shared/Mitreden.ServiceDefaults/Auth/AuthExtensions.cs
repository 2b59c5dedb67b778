using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.ServiceDefaults.Auth;

public static class AuthExtensions
{
    public const string IssuerKey = "Auth:Issuer";
    public const string AudienceKey = "Auth:Audience";
    public const string JwksUrlKey = "Auth:JwksUrl";

    /// <summary>
    /// Registers the "Bearer" scheme (default for authenticate, challenge and forbid), the validator, the validated-token
    /// cache and the policies citizen, moderator, staff, admin and service. Auth:Issuer and Auth:Audience are required.
    /// Key source: an <see cref="ISigningKeySource"/> registered by the service (before or after this call) wins;
    /// otherwise a <see cref="JwksKeyStore"/> on Auth:JwksUrl (default {Issuer}/.well-known/jwks.json).
    /// </summary>
    public static IServiceCollection AddMitredenAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var issuer = Required(configuration, IssuerKey);
        var audience = Required(configuration, AudienceKey);
        var jwksUrl = configuration[JwksUrlKey];
        if (string.IsNullOrWhiteSpace(jwksUrl))
        {
            jwksUrl = issuer.TrimEnd('/') + "/.well-known/jwks.json";
        }

        if (!Uri.TryCreate(jwksUrl, UriKind.Absolute, out var jwksUri) || (jwksUri.Scheme != Uri.UriSchemeHttp && jwksUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"Configuration value '{JwksUrlKey}' must be an absolute http(s) URL (got '{jwksUrl}').");
        }

        var parameters = new JwtValidationParameters { Issuer = issuer, Audience = audience };
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(parameters);
        services.AddSingleton(new JwksKeyStoreOptions { JwksUri = jwksUri });
        // A small document from Identity nearby: 2 s per attempt, two retries within the key store's own 5 s budget.
        services.AddHttpClient(JwksKeyStore.HttpClientName)
            .AddMitredenResilience(attemptTimeout: TimeSpan.FromSeconds(2), totalTimeout: TimeSpan.FromSeconds(5));
        services.TryAddSingleton(sp => new JwksKeyStore(
            sp.GetRequiredService<JwksKeyStoreOptions>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<JwksKeyStore>>()));
        // TryAdd: a source registered earlier wins; one registered later also wins (last registration is resolved).
        services.TryAddSingleton<ISigningKeySource>(sp => sp.GetRequiredService<JwksKeyStore>());
        services.AddHostedService<JwksKeyStoreStarter>();
        services.TryAddSingleton(_ => new ValidatedTokenCache());
        services.TryAddSingleton(sp => new JwtValidator(
            sp.GetRequiredService<JwtValidationParameters>(),
            sp.GetRequiredService<ISigningKeySource>(),
            sp.GetRequiredService<ValidatedTokenCache>()));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = JwtBearerAuthenticationHandler.SchemeName;
                o.DefaultAuthenticateScheme = JwtBearerAuthenticationHandler.SchemeName;
                o.DefaultChallengeScheme = JwtBearerAuthenticationHandler.SchemeName;
                o.DefaultForbidScheme = JwtBearerAuthenticationHandler.SchemeName;
            })
            .AddScheme<MitredenBearerOptions, JwtBearerAuthenticationHandler>(JwtBearerAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Citizen, p => p
                .AddAuthenticationSchemes(JwtBearerAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.TryGetUserId(out _) && !c.User.IsInRole(MitredenRoles.CodeVoter)))
            .AddPolicy(AuthPolicies.Voter, p => p
                .AddAuthenticationSchemes(JwtBearerAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.TryGetUserId(out _)))
            .AddPolicy(AuthPolicies.Moderator, p => UserWithRole(p, MitredenRoles.Moderator, MitredenRoles.Staff, MitredenRoles.Admin))
            .AddPolicy(AuthPolicies.Staff, p => UserWithRole(p, MitredenRoles.Staff, MitredenRoles.Admin))
            .AddPolicy(AuthPolicies.Admin, p => UserWithRole(p, MitredenRoles.Admin))
            .AddPolicy(AuthPolicies.Service, p => p
                .AddAuthenticationSchemes(JwtBearerAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.IsServiceClient()));

        return services;
    }

    private static void UserWithRole(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.AddAuthenticationSchemes(JwtBearerAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(roles);

    private static string Required(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"Required configuration value '{key}' is missing (environment variable '{key.Replace(":", "__", StringComparison.Ordinal)}'). Authentication cannot be disabled.");
        }

        return value;
    }

    /// <summary>Starts background JWKS refresh only when the resolved key source is the HTTP store.</summary>
    private sealed class JwksKeyStoreStarter(ISigningKeySource source) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (source is JwksKeyStore store)
            {
                store.Start();
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) =>
            source is JwksKeyStore store ? store.StopAsync() : Task.CompletedTask;
    }
}
