using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Contracts;
using OpenIddict.EntityFrameworkCore.Models;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class TestVotersTests(IdentityFixture fixture)
{
    private Task<HttpResponseMessage> GrantAsync(string voterId, string key, string? clientId = null, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "urn:mitreden:test-voter", ["voter_id"] = voterId, ["voter_key"] = key };
        if (clientId is not null)
        {
            form["client_id"] = clientId;
        }
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return fixture.TokenRequestAsync(form);
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;

    [Fact]
    public async Task TestVoters_Enabled_AccountsSetBased_TokensThroughTheGrantWithoutTokenRows()
    {
        var staff = await fixture.StaffAsync();
        var response = await staff.PostAsJsonAsync("/admin/test-voters", new { count = 25, district = "ost" });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("grantType").GetString().Should().Be("urn:mitreden:test-voter");
        var voters = body.GetProperty("voters").EnumerateArray().ToList();
        voters.Should().HaveCount(25);
        voters.Select(v => v.GetProperty("userId").GetGuid()).Should().OnlyHaveUniqueItems();
        var ids = voters.Select(v => v.GetProperty("userId").GetGuid()).ToList();
        (await fixture.InDbAsync(db => db.Users.CountAsync(u => ids.Contains(u.Id) && u.PasswordHash == null && u.EmailConfirmed
            && u.ResidentDistrict == "ost" && u.LockoutEnabled && u.SecurityStamp != null))).Should().Be(25);
        (await fixture.InDbAsync(db => db.UserRoles.CountAsync(r => ids.Contains(r.UserId)))).Should().Be(25);

        var id = voters[7].GetProperty("userId").GetGuid();
        var key = voters[7].GetProperty("key").GetString()!;
        var granted = await GrantAsync(id.ToString(), key);
        granted.StatusCode.Should().Be(HttpStatusCode.OK, await granted.Content.ReadAsStringAsync());
        var tokens = await granted.Content.ReadFromJsonAsync<JsonElement>();
        tokens.TryGetProperty("refresh_token", out _).Should().BeFalse();
        var token = tokens.GetProperty("access_token").GetString()!;
        var claims = Jwt.Payload(token);
        claims.GetProperty("sub").GetString().Should().Be(id.ToString());
        claims.GetProperty("verification").GetString().Should().Be("resident");
        claims.GetProperty("district").GetString().Should().Be("ost");
        claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("citizen");
        claims.GetProperty("client_id").GetString().Should().Be("mitreden-web");
        claims.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).Should().Contain("mitreden-voting");
        (claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).Should().Be(3600);

        var me = await fixture.WithToken(token).GetFromJsonAsync<JsonElement>("/account/me");
        me.GetProperty("id").GetGuid().Should().Be(id);
        me.GetProperty("district").GetString().Should().Be("ost");
        (await fixture.InDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.Subject == id.ToString())))
            .Should().Be(0, "a test voter's access token is stored nowhere");

        var narrowed = Jwt.Payload((await (await GrantAsync(id.ToString(), key, scope: "voting")).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("access_token").GetString()!);
        narrowed.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).Should().BeEquivalentTo("mitreden-voting", "mitreden-gateway", "mitreden-web");
    }

    [Fact]
    public async Task TestVoterGrant_WrongKeyOtherAccountOrClient_Refused()
    {
        var staff = await fixture.StaffAsync();
        var body = await (await staff.PostAsJsonAsync("/admin/test-voters", new { count = 2, district = "ost" })).Content.ReadFromJsonAsync<JsonElement>();
        var voters = body.GetProperty("voters").EnumerateArray().ToList();
        var first = voters[0].GetProperty("userId").GetGuid().ToString();
        var secondKey = voters[1].GetProperty("key").GetString()!;

        var wrongKey = await GrantAsync(first, secondKey);
        wrongKey.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ErrorOf(wrongKey)).Should().Be("invalid_grant");

        // A real account: no key names it (the key is a MAC of the id under Identity's secret).
        var citizen = await fixture.CreateAccountAsync();
        (await ErrorOf(await GrantAsync(citizen.Id.ToString(), secondKey))).Should().Be("invalid_grant");

        // A client that may not use the grant is refused; the web's confidential client without its secret is not even heard.
        (await ErrorOf(await GrantAsync(first, voters[0].GetProperty("key").GetString()!, clientId: "mitreden-test"))).Should().Be("unauthorized_client");
        (await ErrorOf(await GrantAsync(first, voters[0].GetProperty("key").GetString()!, clientId: "mitreden-web"))).Should().Be("invalid_client");
        (await ErrorOf(await GrantAsync("not-a-guid", secondKey))).Should().Be("invalid_request");
    }

    [Fact]
    public async Task TestVoterGrant_RolesAndBlocksChangedOrAccountDeleted_TokenSaysSoOrRefused()
    {
        // The grant reads the account's claims in one query: roles and the latest active block (not a lifted or an
        // expired one) as they are now, and no token for an account that is gone.
        var staff = await fixture.StaffAsync();
        var body = await (await staff.PostAsJsonAsync("/admin/test-voters", new { count = 2, district = "ost" })).Content.ReadFromJsonAsync<JsonElement>();
        var voters = body.GetProperty("voters").EnumerateArray()
            .Select(v => (Id: v.GetProperty("userId").GetGuid(), Key: v.GetProperty("key").GetString()!)).ToList();
        var (id, key) = voters[0];
        await fixture.GrantRoleDirectlyAsync(id, Roles.Moderator);
        var now = DateTimeOffset.UtcNow;
        var until = now.AddDays(2);
        await fixture.InDbAsync(async db =>
        {
            db.UserBlocks.AddRange(
                new UserBlock { UserId = id, Until = until, Reason = "aktiv", BlockedAt = now },
                new UserBlock { UserId = id, Until = now.AddDays(1), Reason = "kürzer", BlockedAt = now },
                new UserBlock { UserId = id, Until = now.AddDays(9), Reason = "aufgehoben", BlockedAt = now, LiftedAt = now },
                new UserBlock { UserId = id, Until = now.AddDays(-1), Reason = "abgelaufen", BlockedAt = now.AddDays(-3) });
            return await db.SaveChangesAsync();
        });

        var granted = await GrantAsync(id.ToString(), key);
        granted.StatusCode.Should().Be(HttpStatusCode.OK, await granted.Content.ReadAsStringAsync());
        var claims = Jwt.Payload((await granted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!);
        claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal(Roles.Citizen, Roles.Moderator);
        claims.GetProperty("blocked_until").GetInt64().Should().Be(until.ToUnixTimeSeconds());
        claims.GetProperty("name").GetString().Should().StartWith("Testperson");

        var other = Jwt.Payload((await (await GrantAsync(voters[1].Id.ToString(), voters[1].Key)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("access_token").GetString()!);
        other.TryGetProperty("blocked_until", out _).Should().BeFalse("the other voter is not blocked");

        await fixture.InDbAsync(db => db.Users.Where(u => u.Id == id).ExecuteDeleteAsync());
        var deleted = await GrantAsync(id.ToString(), key);
        deleted.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ErrorOf(deleted)).Should().Be("invalid_grant");
    }

    [Fact]
    public async Task TestVoters_InvalidOrNotStaff_Refused()
    {
        var staff = await fixture.StaffAsync();
        (await staff.PostAsJsonAsync("/admin/test-voters", new { count = 5001, district = "ost" })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await staff.PostAsJsonAsync("/admin/test-voters", new { count = 1, district = "Not A Slug" })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var citizen = await fixture.CreateAccountAsync();
        (await fixture.WithToken(citizen.Tokens.AccessToken).PostAsJsonAsync("/admin/test-voters", new { count = 1, district = "ost" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
