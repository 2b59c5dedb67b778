using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>The claims helpers on principals as the bearer scheme builds them (its rules, the test keys given directly).</summary>
public sealed class UserClaimsTests : IDisposable
{
    private readonly TestTokens _tokens = new();
    private readonly ServiceProvider _services;

    public UserClaimsTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = _tokens.Issuer,
            ["Auth:Audience"] = _tokens.Audience,
        }).Build();
        var keys = new OpenIdConnectConfiguration { Issuer = _tokens.Issuer };
        keys.SigningKeys.Add(new RsaSecurityKey(_tokens.Rsa.ExportParameters(false)) { KeyId = _tokens.RsaKeyId });
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddMitredenAuthentication(configuration)
            .Configure<JwtBearerOptions>(AuthExtensions.SchemeName, o => o.Configuration = keys)
            .BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _tokens.Dispose();
    }

    private async Task<ClaimsPrincipal> Principal(string token)
    {
        var result = await _services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(AuthExtensions.SchemeName)
            .ValidateBearerTokenAsync(token);
        result.IsValid.Should().BeTrue(result.Exception?.Message);
        return new ClaimsPrincipal(result.ClaimsIdentity);
    }

    [Fact]
    public async Task UserClaims_FullUserToken_ReadsEverything()
    {
        var id = Guid.NewGuid();
        var user = await Principal(_tokens.Issue(c => { c["district"] = "Nord"; c["verification"] = "resident"; c["name"] = "Bea"; }, userId: id, roles: ["moderator"]));

        user.UserId().Should().Be(id);
        user.Verification().Should().Be("resident");
        user.District().Should().Be("Nord");
        user.DisplayName().Should().Be("Bea");
        user.IsInRoleAny("staff", "moderator").Should().BeTrue();
        user.IsInRoleAny("staff", "admin").Should().BeFalse();
        user.IsServiceClient().Should().BeFalse();
    }

    [Fact]
    public async Task UserClaims_ServiceToken_HasNoUserId()
    {
        var service = await Principal(_tokens.IssueServiceToken("mitreden-moderation"));

        service.TryGetUserId(out _).Should().BeFalse();
        var act = () => service.UserId();
        act.Should().Throw<InvalidOperationException>();
        service.Verification().Should().Be("none");
        service.District().Should().BeNull();
        service.ClientId().Should().Be("mitreden-moderation");
        service.IsServiceClient().Should().BeTrue();
    }

    [Fact]
    public async Task UserId_SubNotAGuid_Throws()
    {
        var user = await Principal(_tokens.Issue(c => c["sub"] = "not-a-guid"));

        var act = () => user.UserId();

        act.Should().Throw<InvalidOperationException>();
    }
}
