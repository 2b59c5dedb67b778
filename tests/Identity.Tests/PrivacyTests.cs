using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;
using OpenIddict.EntityFrameworkCore.Models;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class PrivacyTests(IdentityFixture fixture)
{
    [Fact]
    public async Task DisplayName_Changed_PublishedAndInNewTokens()
    {
        var account = await fixture.CreateAccountAsync("Alter Name");
        var client = fixture.WithToken(account.Tokens.AccessToken);

        (await client.PutAsJsonAsync("/account/me", new { displayName = "x" })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var updated = await client.PutAsJsonAsync("/account/me", new { displayName = "  Neuer   Name " });
        updated.StatusCode.Should().Be(HttpStatusCode.OK);
        (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("displayName").GetString().Should().Be("Neuer Name");

        (await TokenSet.ReadAsync(await fixture.RefreshAsync(account.Tokens.RefreshToken!))).Payload.GetProperty("name").GetString().Should().Be("Neuer Name");
        await Eventually.AssertAsync(() =>
        {
            fixture.EventsOf<UserDisplayNameChanged>().Should().Contain(e => e.UserId == account.Id && e.DisplayName == "Neuer Name");
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task DeleteAccount_AfterExport_GoneEverywhereAndUserDeletedDispatched()
    {
        var account = await fixture.CreateAccountAsync("Zu Löschen");
        var client = fixture.WithToken(account.Tokens.AccessToken);

        var exportResponse = await client.GetAsync("/account/me/export");
        exportResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        var raw = await exportResponse.Content.ReadAsStringAsync();
        var export = JsonDocument.Parse(raw).RootElement;
        export.GetProperty("profile").GetProperty("displayName").GetString().Should().Be("Zu Löschen");
        export.GetProperty("account").GetProperty("email").GetString().Should().Be(account.Email);
        export.GetProperty("profile").GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("citizen");
        export.GetProperty("signIns").GetArrayLength().Should().BeGreaterThan(0);
        raw.Should().NotContainAny(["passwordHash", "PasswordHash", "securityStamp", "tokenHash", "AQAAAA"]);

        var wrong = new HttpRequestMessage(HttpMethod.Delete, "/account/me") { Content = JsonContent.Create(new { password = "falsches-passwort" }) };
        (await client.SendAsync(wrong)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await fixture.InDbAsync(db => db.Users.AnyAsync(u => u.Id == account.Id))).Should().BeTrue();

        var delete = new HttpRequestMessage(HttpMethod.Delete, "/account/me") { Content = JsonContent.Create(new { password = IdentityFixture.Password }) };
        (await client.SendAsync(delete)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var login = await fixture.TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = account.Email, ["password"] = IdentityFixture.Password,
        });
        login.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await fixture.RefreshAsync(account.Tokens.RefreshToken!)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("/account/me")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var subject = account.Id.ToString();
        (await fixture.InDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().AnyAsync(t => t.Subject == subject))).Should().BeFalse();
        (await fixture.InDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AnyAsync(a => a.Subject == subject))).Should().BeFalse();
        (await fixture.InDbAsync(db => db.UserRoles.AnyAsync(r => r.UserId == account.Id))).Should().BeFalse();

        await Eventually.AssertAsync(async () =>
        {
            var rows = await fixture.InDbAsync(db => db.Set<OutboxMessage>()
                .Where(m => m.MessageType.StartsWith("Mitreden.Identity.Contracts.UserDeleted,")).ToListAsync());
            rows.Should().ContainSingle(m => m.Body.Contains(account.Id.ToString())).Which.DispatchedAt.Should().NotBeNull();
        });
        await Eventually.AssertAsync(() =>
        {
            fixture.EventsOf<UserDeleted>().Should().Contain(e => e.UserId == account.Id);
            return Task.CompletedTask;
        });
    }
}
