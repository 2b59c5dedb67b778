using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// The token server's clients and scopes, from configuration (Identity:Clients:&lt;id&gt;:Secret), written to the
/// database by the migrations job (and at start when Database:MigrateOnStart is set). Idempotent: an existing client
/// is updated to match, so a changed secret takes effect with the next deployment.
/// <list type="bullet">
/// <item>"mitreden-web", the first-party web: the authorization code flow with PKCE (S256) and refresh tokens, the
/// end-session endpoint, and the voting-code grant; confidential, its secret is required. No password grant. Redirect
/// URIs from Identity:WebClient:RedirectUris:N, after sign-out PostLogoutRedirectUris:N; secret Identity:WebClient:Secret.</item>
/// <item>"mitreden-test", only while Identity:AllowTestClients is true (test stacks and benchmarks, never the chart): a
/// public client with the password and refresh grants, for test drivers that sign in without a browser. Removed from
/// the database when the setting is off.</item>
/// <item>every other configured id: a service client with client_credentials only.</item>
/// </list>
/// </summary>
public static class Clients
{
    public const string WebClientId = "mitreden-web";
    public const string TestClientId = "mitreden-test";
    public const string AllowTestClientsKey = "Identity:AllowTestClients";
    public const int MinSecretLength = 16;
    public const string SectionName = "Identity:Clients";
    /// <summary>The web's client (its id has a '-', which environment variable names in the chart may not carry).</summary>
    public const string WebSectionName = "Identity:WebClient";

    public static async Task SeedAsync(IServiceProvider services, IConfiguration configuration, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var scopes = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        foreach (var (name, resource) in TokenScopes.Resources)
        {
            var descriptor = new OpenIddictScopeDescriptor { Name = name, Resources = { resource } };
            if (await scopes.FindByNameAsync(name, ct) is { } existing)
            {
                await scopes.UpdateAsync(existing, descriptor, ct);
            }
            else
            {
                await scopes.CreateAsync(descriptor, ct);
            }
        }

        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (!configuration.GetValue(AllowTestClientsKey, false) && await applications.FindByClientIdAsync(TestClientId, ct) is { } testClient)
        {
            await applications.DeleteAsync(testClient, ct);
        }
        foreach (var descriptor in Descriptors(configuration))
        {
            if (await applications.FindByClientIdAsync(descriptor.ClientId!, ct) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, ct);
            }
            else
            {
                await applications.CreateAsync(descriptor, ct);
            }
        }
    }

    public static IEnumerable<OpenIddictApplicationDescriptor> Descriptors(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        yield return Web(configuration.GetSection(WebSectionName));
        if (configuration.GetValue(AllowTestClientsKey, false))
        {
            yield return Test();
        }
        foreach (var client in section.GetChildren().Where(c => c.Key is not (WebClientId or TestClientId)))
        {
            var secret = client["Secret"];
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = client.Key,
                ClientSecret = CheckedSecret(client.Key, secret),
                ClientType = ClientTypes.Confidential,
                DisplayName = client.Key,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };
            AddScopes(descriptor);
            yield return descriptor;
        }
    }

    private static OpenIddictApplicationDescriptor Web(IConfigurationSection web)
    {
        var secret = web["Secret"];
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException($"{WebSectionName}:Secret is required (the web is a confidential client).");
        }
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = WebClientId,
            ClientSecret = CheckedSecret(WebClientId, secret, WebSectionName),
            ClientType = ClientTypes.Confidential,
            DisplayName = "Mitreden (web)",
            Permissions =
            {
                Permissions.Endpoints.Token, Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                Permissions.Prefixes.GrantType + TokenServer.VotingCodeGrant,
                Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in web.GetSection("RedirectUris").GetChildren().Select(c => c.Value).OfType<string>())
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }
        foreach (var uri in web.GetSection("PostLogoutRedirectUris").GetChildren().Select(c => c.Value).OfType<string>())
        {
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }
        AddScopes(descriptor);
        return descriptor;
    }

    private static OpenIddictApplicationDescriptor Test()
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = TestClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "Mitreden (test drivers)",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.Password, Permissions.GrantTypes.RefreshToken },
        };
        AddScopes(descriptor);
        return descriptor;
    }

    private static void AddScopes(OpenIddictApplicationDescriptor descriptor)
    {
        foreach (var name in TokenScopes.All)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + name);
        }
    }

    private static string CheckedSecret(string clientId, string secret, string? section = null) =>
        secret.Length >= MinSecretLength
            ? secret
            : throw new InvalidOperationException($"{section ?? SectionName + ":" + clientId}:Secret must have at least {MinSecretLength} characters.");
}
