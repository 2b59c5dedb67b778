using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

public sealed class AuthExtensionsTests
{
    private static IConfiguration Config(string? issuer = "http://127.0.0.1:18080/api/identity", string? audience = "mitreden-voting",
        string? metadataAddress = null, string? requireHttps = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = issuer,
            ["Auth:Audience"] = audience,
            ["Auth:MetadataAddress"] = metadataAddress,
            ["Auth:RequireHttpsMetadata"] = requireHttps,
        }).Build();

    private static JwtBearerOptions Bearer(ServiceProvider provider) =>
        provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(AuthExtensions.SchemeName);

    private static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        services.AddMitredenAuthentication(configuration);
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AddMitredenAuthentication_MissingIssuer_ThrowsNamingTheKey(string? issuer)
    {
        var act = () => new ServiceCollection().AddMitredenAuthentication(Config(issuer: issuer));

        act.Should().Throw<InvalidOperationException>().WithMessage("*Auth:Issuer*");
    }

    [Fact]
    public void AddMitredenAuthentication_MissingAudience_ThrowsNamingTheKey()
    {
        var act = () => new ServiceCollection().AddMitredenAuthentication(Config(audience: null));

        act.Should().Throw<InvalidOperationException>().WithMessage("*Auth:Audience*");
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("/.well-known/openid-configuration")]
    public void AddMitredenAuthentication_InvalidMetadataAddress_ThrowsNamingTheKey(string address)
    {
        var act = () => new ServiceCollection().AddMitredenAuthentication(Config(metadataAddress: address));

        act.Should().Throw<InvalidOperationException>().WithMessage("*Auth:MetadataAddress*");
    }

    [Fact]
    public void AddMitredenAuthentication_NoMetadataAddress_DefaultsToIssuerDiscovery()
    {
        using var provider = Build(Config(issuer: "http://127.0.0.1:18080/api/identity/"));

        var bearer = Bearer(provider);

        bearer.MetadataAddress.Should().Be("http://127.0.0.1:18080/api/identity/.well-known/openid-configuration");
        bearer.RequireHttpsMetadata.Should().BeFalse("the issuer is loopback");
        provider.GetRequiredService<AuthSettings>().IssuerFetchedFrom.Should().BeNull("keys named at the issuer are fetched from there");
    }

    [Fact]
    public void AddMitredenAuthentication_MetadataAddressOfIdentityDirectly_FetchesIssuerAddressesFromThere()
    {
        using var provider = Build(Config(metadataAddress: "http://127.0.0.1:18101/.well-known/openid-configuration"));

        Bearer(provider).MetadataAddress.Should().Be("http://127.0.0.1:18101/.well-known/openid-configuration");
        provider.GetRequiredService<AuthSettings>().IssuerFetchedFrom.Should().Be(new Uri("http://127.0.0.1:18101/"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:18101/.well-known/openid-configuration", null, false)]
    [InlineData("http://localhost:18101/.well-known/openid-configuration", null, false)]
    [InlineData("http://[::1]:18101/.well-known/openid-configuration", null, false)]
    [InlineData("https://identity.example/.well-known/openid-configuration", null, true)]
    [InlineData("http://mitreden-identity:8080/.well-known/openid-configuration", "false", false)]
    [InlineData("https://127.0.0.1:18101/.well-known/openid-configuration", "true", true)]
    public void AddMitredenAuthentication_HttpsMetadata_RequiredUnlessLoopbackOrSwitchedOff(string address, string? configured, bool expected)
    {
        using var provider = Build(Config(metadataAddress: address, requireHttps: configured));

        provider.GetRequiredService<AuthSettings>().RequireHttpsMetadata.Should().Be(expected);
    }

    [Fact]
    public void AddMitredenAuthentication_NonLoopbackHttpMetadata_RefusedAtStart()
    {
        var act = () => new ServiceCollection().AddMitredenAuthentication(
            Config(metadataAddress: "http://identity.example/.well-known/openid-configuration"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*Auth:MetadataAddress*HTTPS*Auth:RequireHttpsMetadata*");
    }

    [Fact]
    public void AddMitredenAuthentication_ValidationRules_AreStrict()
    {
        using var provider = Build(Config());

        var bearer = Bearer(provider);
        var rules = bearer.TokenValidationParameters;

        bearer.MapInboundClaims.Should().BeFalse();
        bearer.Audience.Should().Be("mitreden-voting");
        bearer.RefreshOnIssuerKeyNotFound.Should().BeTrue();
        bearer.RefreshInterval.Should().Be(AuthExtensions.UnknownKeyRefreshInterval);
        bearer.AutomaticRefreshInterval.Should().Be(AuthExtensions.KeyRefreshInterval);
        rules.ValidIssuer.Should().Be("http://127.0.0.1:18080/api/identity");
        rules.ValidAudience.Should().Be("mitreden-voting");
        rules.ValidateIssuer.Should().BeTrue();
        rules.ValidateAudience.Should().BeTrue();
        rules.ValidateLifetime.Should().BeTrue();
        rules.RequireExpirationTime.Should().BeTrue();
        rules.RequireSignedTokens.Should().BeTrue();
        rules.ClockSkew.Should().Be(TimeSpan.FromSeconds(30));
        rules.TryAllIssuerSigningKeys.Should().BeFalse();
        rules.ValidAlgorithms.Should().BeEquivalentTo("RS256", "ES256");
        rules.RoleClaimType.Should().Be("roles");
        rules.NameClaimType.Should().Be("name");
    }

    [Fact]
    public async Task AddMitredenAuthentication_RegistersBearerAsDefaultAndAllPolicies()
    {
        using var provider = Build(Config());

        var schemes = provider.GetRequiredService<IAuthenticationSchemeProvider>();
        (await schemes.GetDefaultAuthenticateSchemeAsync())!.Name.Should().Be("Bearer");
        (await schemes.GetDefaultChallengeSchemeAsync())!.Name.Should().Be("Bearer");
        (await schemes.GetDefaultForbidSchemeAsync())!.Name.Should().Be("Bearer");
        var policies = provider.GetRequiredService<IAuthorizationPolicyProvider>();
        foreach (var name in new[] { "citizen", "voter", "moderator", "staff", "admin", "service" })
        {
            (await policies.GetPolicyAsync(name)).Should().NotBeNull(name);
        }
    }
}
