using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

public sealed class AuthExtensionsTests
{
    private static IConfiguration Config(string? issuer = "http://127.0.0.1:18080/api/identity", string? audience = "mitreden-voting", string? jwksUrl = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = issuer,
            ["Auth:Audience"] = audience,
            ["Auth:JwksUrl"] = jwksUrl,
        }).Build();

    private static ServiceProvider Build(IConfiguration configuration, Action<IServiceCollection>? before = null, Action<IServiceCollection>? after = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        before?.Invoke(services);
        services.AddMitredenAuthentication(configuration);
        after?.Invoke(services);
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

    [Fact]
    public void AddMitredenAuthentication_InvalidJwksUrl_Throws()
    {
        var act = () => new ServiceCollection().AddMitredenAuthentication(Config(jwksUrl: "file:///etc/passwd"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*Auth:JwksUrl*");
    }

    [Fact]
    public void AddMitredenAuthentication_NoJwksUrl_DefaultsToIssuerWellKnown()
    {
        using var provider = Build(Config(issuer: "http://127.0.0.1:18080/api/identity/"));

        var store = provider.GetRequiredService<ISigningKeySource>().Should().BeOfType<JwksKeyStore>().Subject;

        store.JwksUri.Should().Be(new Uri("http://127.0.0.1:18080/api/identity/.well-known/jwks.json"));
    }

    [Fact]
    public void AddMitredenAuthentication_JwksUrlConfigured_UsesIt()
    {
        using var provider = Build(Config(jwksUrl: "http://127.0.0.1:18101/.well-known/jwks.json"));

        provider.GetRequiredService<JwksKeyStore>().JwksUri.Should().Be(new Uri("http://127.0.0.1:18101/.well-known/jwks.json"));
    }

    [Fact]
    public void AddMitredenAuthentication_KeySourceRegisteredBefore_IsUsed()
    {
        var own = new StaticSigningKeySource(JsonWebKeySet.Empty);

        using var provider = Build(Config(), before: s => s.AddSingleton<ISigningKeySource>(own));

        provider.GetRequiredService<ISigningKeySource>().Should().BeSameAs(own);
    }

    [Fact]
    public void AddMitredenAuthentication_KeySourceRegisteredAfter_IsUsed()
    {
        var own = new StaticSigningKeySource(JsonWebKeySet.Empty);

        using var provider = Build(Config(), after: s => s.AddSingleton<ISigningKeySource>(own));

        provider.GetRequiredService<ISigningKeySource>().Should().BeSameAs(own);
        using var tokens = new TestTokens();
        own.Update(JsonWebKeySet.Parse(tokens.JwksJson));
        var validator = provider.GetRequiredService<JwtValidator>();
        validator.Parameters.Issuer.Should().Be("http://127.0.0.1:18080/api/identity");
        validator.Parameters.Audience.Should().Be("mitreden-voting");
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
