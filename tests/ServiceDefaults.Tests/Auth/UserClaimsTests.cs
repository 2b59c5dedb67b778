using System.Security.Claims;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

public sealed class UserClaimsTests : IDisposable
{
    private readonly TestTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    private ClaimsPrincipal Principal(string token)
    {
        var outcome = AuthTestSupport.Validator(_tokens).Validate(token, _tokens.Now);
        outcome.Succeeded.Should().BeTrue(outcome.ToString());
        return outcome.Principal!;
    }

    [Fact]
    public void UserClaims_FullUserToken_ReadsEverything()
    {
        var id = Guid.NewGuid();
        var user = Principal(_tokens.Issue(c => { c["district"] = "Nord"; c["verification"] = "resident"; c["name"] = "Bea"; }, userId: id, roles: ["moderator"]));

        user.UserId().Should().Be(id);
        user.Verification().Should().Be("resident");
        user.District().Should().Be("Nord");
        user.DisplayName().Should().Be("Bea");
        user.IsInRoleAny("staff", "moderator").Should().BeTrue();
        user.IsInRoleAny("staff", "admin").Should().BeFalse();
        user.IsServiceClient().Should().BeFalse();
    }

    [Fact]
    public void UserClaims_ServiceToken_HasNoUserId()
    {
        var service = Principal(_tokens.IssueServiceToken("mitreden-moderation"));

        service.TryGetUserId(out _).Should().BeFalse();
        var act = () => service.UserId();
        act.Should().Throw<InvalidOperationException>();
        service.Verification().Should().Be("none");
        service.District().Should().BeNull();
        service.ClientId().Should().Be("mitreden-moderation");
        service.IsServiceClient().Should().BeTrue();
    }

    [Fact]
    public void UserId_SubNotAGuid_Throws()
    {
        var user = Principal(_tokens.Issue(c => c["sub"] = "not-a-guid"));

        var act = () => user.UserId();

        act.Should().Throw<InvalidOperationException>();
    }
}
