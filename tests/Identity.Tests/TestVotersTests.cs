using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class TestVotersTests(IdentityFixture fixture)
{
    [Fact]
    public async Task TestVoters_Enabled_ResidentCitizensWithLongerTokens()
    {
        var staff = await fixture.StaffAsync();
        var response = await staff.PostAsJsonAsync("/admin/test-voters", new { count = 25, district = "ost", lifetimeMinutes = 30 });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("expiresIn").GetInt32().Should().Be(1800);
        var voters = body.GetProperty("voters").EnumerateArray().ToList();
        voters.Should().HaveCount(25);
        voters.Select(v => v.GetProperty("userId").GetGuid()).Should().OnlyHaveUniqueItems();

        var token = voters[7].GetProperty("accessToken").GetString()!;
        var claims = Jwt.Payload(token);
        claims.GetProperty("verification").GetString().Should().Be("resident");
        claims.GetProperty("district").GetString().Should().Be("ost");
        claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("citizen");
        (claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).Should().Be(1800);

        var me = await fixture.WithToken(token).GetFromJsonAsync<JsonElement>("/account/me");
        me.GetProperty("id").GetGuid().Should().Be(voters[7].GetProperty("userId").GetGuid());
        me.GetProperty("emailConfirmed").GetBoolean().Should().BeTrue();
        me.GetProperty("district").GetString().Should().Be("ost");

        var ids = voters.Select(v => v.GetProperty("userId").GetGuid()).ToList();
        (await fixture.InDbAsync(db => db.Users.CountAsync(u => ids.Contains(u.Id) && u.PasswordHash == null))).Should().Be(25);

        (await staff.PostAsJsonAsync("/admin/test-voters", new { count = 5001, district = "ost" })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await staff.PostAsJsonAsync("/admin/test-voters", new { count = 1, district = "ost", lifetimeMinutes = 61 })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var citizen = await fixture.CreateAccountAsync();
        (await fixture.WithToken(citizen.Tokens.AccessToken).PostAsJsonAsync("/admin/test-voters", new { count = 1, district = "ost" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
