using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.TestKit;
using Npgsql;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class RolesAndBlocksTests(IdentityFixture fixture)
{
    [Fact]
    public async Task Roles_StaffGrantsModeratorButNotAdmin_EveryChangeAudited()
    {
        var staffAccount = await fixture.CreateAccountAsync("Stadt Test", true, Roles.Staff);
        var staff = fixture.WithToken(staffAccount.Tokens.AccessToken);
        var target = await fixture.CreateAccountAsync();

        var granted = await staff.PutAsync($"/admin/users/{target.Id}/roles/moderator", null);
        granted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await granted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roles").EnumerateArray().Select(r => r.GetString())
            .Should().Equal(Roles.Citizen, Roles.Moderator);
        (await staff.PutAsync($"/admin/users/{target.Id}/roles/moderator", null)).StatusCode.Should().Be(HttpStatusCode.OK, "granting twice is harmless");

        (await staff.PutAsync($"/admin/users/{target.Id}/roles/admin", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var refused = await staff.PutAsync($"/admin/users/{target.Id}/roles/staff", null);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("role-admin-only");
        var unknownRole = await staff.PutAsync($"/admin/users/{target.Id}/roles/superuser", null);
        unknownRole.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknownRole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("unknown-role");
        (await staff.PutAsync($"/admin/users/{Guid.NewGuid()}/roles/moderator", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fixture.WithToken(target.Tokens.AccessToken).PutAsync($"/admin/users/{target.Id}/roles/moderator", null))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "citizens manage no roles");
        (await (await fixture.WithToken(target.Tokens.AccessToken).PutAsync($"/admin/users/{target.Id}/roles/moderator", null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("role-required", "the policy's 403 has a code too");

        var admin = await fixture.AdminAsync();
        (await admin.PutAsync($"/admin/users/{target.Id}/roles/staff", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.DeleteAsync($"/admin/users/{target.Id}/roles/moderator")).StatusCode.Should().Be(HttpStatusCode.OK);

        var newToken = await TokenSet.ReadAsync(await fixture.RefreshAsync(target.Tokens.RefreshToken!));
        newToken.Payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal(Roles.Citizen, Roles.Staff);

        var audit = await fixture.InDbAsync(db => db.AuditEntries.Where(a => a.TargetType == "user" && a.TargetId == target.Id.ToString())
            .OrderBy(a => a.Id).ToListAsync());
        audit.Select(a => (a.Action, a.Details)).Should().Equal(
            ("role-granted", """{"role": "moderator"}"""),
            ("role-granted", """{"role": "staff"}"""),
            ("role-revoked", """{"role": "moderator"}"""));
        audit[0].ActorId.Should().Be(staffAccount.Id);
        audit.Should().OnlyContain(a => a.At > DateTimeOffset.UtcNow.AddMinutes(-1));

        var listed = await staff.GetFromJsonAsync<JsonElement>($"/admin/audit?targetType=user&targetId={target.Id}");
        listed.GetArrayLength().Should().Be(3);
    }

    [Fact]
    public async Task UserSearch_ByPartOfNameExactAddressOrId_AnswersNamesOnly_AndTheRolesTheCallerMayAssign()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var target = await fixture.CreateAccountAsync($"Erika Muster {marker}");
        await fixture.CreateAccountAsync($"Max Muster {marker}");
        var staffAccount = await fixture.CreateAccountAsync("Stadt Test", true, Roles.Staff);
        var staff = fixture.WithToken(staffAccount.Tokens.AccessToken);

        var byName = await staff.GetFromJsonAsync<JsonElement>($"/admin/users?q=muster%20{marker}");
        byName.GetProperty("total").GetInt32().Should().Be(2);
        byName.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("displayName").GetString())
            .Should().Equal($"Erika Muster {marker}", $"Max Muster {marker}");
        byName.ToString().Should().NotContain("@", "the answer names people, it never shows an address");

        var byAddress = await staff.GetFromJsonAsync<JsonElement>($"/admin/users?q={Uri.EscapeDataString(target.Email.ToUpperInvariant())}");
        byAddress.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()).Should().Equal(target.Id);
        var partOfAddress = await staff.GetFromJsonAsync<JsonElement>($"/admin/users?q={Uri.EscapeDataString(target.Email[..^3])}");
        partOfAddress.GetProperty("total").GetInt32().Should().Be(0, "an address is found only whole");
        var byId = await staff.GetFromJsonAsync<JsonElement>($"/admin/users?q={target.Id}");
        byId.GetProperty("items")[0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal(Roles.Citizen);

        var tooShort = await staff.GetAsync("/admin/users?q=a");
        tooShort.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await tooShort.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("q", out _).Should().BeTrue();
        (await fixture.WithToken(target.Tokens.AccessToken).GetAsync($"/admin/users?q={marker}")).StatusCode
            .Should().Be(HttpStatusCode.Forbidden, "citizens search no one");

        // The page offers only the role buttons the caller may use: Identity says which.
        (await staff.GetFromJsonAsync<JsonElement>($"/admin/users/{target.Id}")).GetProperty("assignableRoles").EnumerateArray()
            .Select(r => r.GetString()).Should().Equal(Roles.Citizen, Roles.Moderator);
        (await (await fixture.AdminAsync()).GetFromJsonAsync<JsonElement>($"/admin/users/{target.Id}")).GetProperty("assignableRoles")
            .EnumerateArray().Select(r => r.GetString()).Should().Equal(Roles.All);
    }

    [Fact]
    public async Task AuditLog_UpdateOrDelete_RefusedByDatabase()
    {
        var staff = await fixture.StaffAsync();
        var target = await fixture.CreateAccountAsync();
        (await staff.PutAsync($"/admin/users/{target.Id}/roles/moderator", null)).EnsureSuccessStatusCode();

        await using var connection = new NpgsqlConnection(fixture.Factory.Database.ConnectionString);
        await connection.OpenAsync();
        var update = async () => await new NpgsqlCommand("UPDATE audit_log SET action = 'nothing'", connection).ExecuteNonQueryAsync();
        var delete = async () => await new NpgsqlCommand("DELETE FROM audit_log", connection).ExecuteNonQueryAsync();
        await update.Should().ThrowAsync<PostgresException>().WithMessage("*append-only*");
        await delete.Should().ThrowAsync<PostgresException>().WithMessage("*append-only*");
    }

    [Fact]
    public async Task Block_ByModerator_UserSeesReasonTokensCarryBlockedUntilAndEventsReachBroker()
    {
        var moderator = fixture.WithToken((await fixture.CreateAccountAsync("Mod Test", true, Roles.Moderator)).Tokens.AccessToken);
        var target = await fixture.CreateAccountAsync();
        var until = DateTimeOffset.UtcNow.AddDays(3);

        (await fixture.WithToken(target.Tokens.AccessToken).PostAsJsonAsync($"/admin/users/{target.Id}/block", new { until, reason = "x" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var past = await moderator.PostAsJsonAsync($"/admin/users/{target.Id}/block", new { until = DateTimeOffset.UtcNow.AddDays(-1), reason = "Spam" });
        past.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var pastProblem = await past.Content.ReadFromJsonAsync<JsonElement>();
        pastProblem.GetProperty("errorCodes").GetProperty("until").GetString().Should().Be("block-until-past");
        pastProblem.GetProperty("lang").GetString().Should().Be("de", "Identity says it in German and names the language");
        var unknownUser = await moderator.PostAsJsonAsync($"/admin/users/{Guid.NewGuid()}/block", new { until, reason = "Spam" });
        unknownUser.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknownUser.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("user-not-found");
        var blocked = await moderator.PostAsJsonAsync($"/admin/users/{target.Id}/block", new { until, reason = "Wiederholte Beleidigungen" });
        blocked.StatusCode.Should().Be(HttpStatusCode.OK);

        var me = await fixture.WithToken(target.Tokens.AccessToken).GetFromJsonAsync<JsonElement>("/account/me");
        me.GetProperty("block").GetProperty("reason").GetString().Should().Be("Wiederholte Beleidigungen");
        me.GetProperty("block").GetProperty("until").GetDateTimeOffset().Should().BeCloseTo(until, TimeSpan.FromMilliseconds(1));

        var token = await fixture.LoginAsync(target.Email, IdentityFixture.Password);
        token.Payload.GetProperty("blocked_until").GetInt64().Should().Be(until.ToUnixTimeSeconds());

        await Eventually.AssertAsync(() =>
        {
            fixture.EventsOf<UserBlocked>().Should().ContainSingle(e => e.UserId == target.Id)
                .Which.Should().Match<UserBlocked>(e => e.Reason == "Wiederholte Beleidigungen" && e.BlockedBy != null);
            return Task.CompletedTask;
        });
        var dispatched = await fixture.InDbAsync(db => db.Set<Mitreden.ServiceDefaults.Messaging.OutboxMessage>()
            .Where(m => m.MessageType.StartsWith("Mitreden.Identity.Contracts.UserBlocked,") && m.DispatchedAt != null).CountAsync());
        dispatched.Should().BeGreaterThan(0);

        (await moderator.DeleteAsync($"/admin/users/{target.Id}/block")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await fixture.LoginAsync(target.Email, IdentityFixture.Password)).Payload.TryGetProperty("blocked_until", out _).Should().BeFalse();
        var afterUnblock = await fixture.WithToken(target.Tokens.AccessToken).GetFromJsonAsync<JsonElement>("/account/me");
        afterUnblock.GetProperty("block").ValueKind.Should().Be(JsonValueKind.Null);
        await Eventually.AssertAsync(() =>
        {
            fixture.EventsOf<UserUnblocked>().Should().Contain(e => e.UserId == target.Id);
            return Task.CompletedTask;
        });
        var actions = await fixture.InDbAsync(db => db.AuditEntries.Where(a => a.TargetId == target.Id.ToString()).Select(a => a.Action).ToListAsync());
        actions.Should().Contain(["user-blocked", "user-unblocked"]);
    }

    [Fact]
    public async Task BlockUserCommand_OverRealBroker_AppliedOncePerDecision()
    {
        var target = await fixture.CreateAccountAsync();
        var bus = fixture.Factory.Services.GetRequiredService<IBus>();
        var command = new BlockUser(target.Id, DateTimeOffset.UtcNow.AddDays(7), "Spam-Links", Guid.NewGuid(), Guid.NewGuid());

        await bus.Publish(command);
        await bus.Publish(command); // a new message id, the same decision

        await Eventually.AssertAsync(async () =>
        {
            var processed = await fixture.InDbAsync(db => db.Set<Mitreden.ServiceDefaults.Messaging.ProcessedMessage>()
                .CountAsync(p => p.Consumer == "BlockUserConsumer"));
            processed.Should().BeGreaterThanOrEqualTo(2);
            var blocks = await fixture.InDbAsync(db => db.UserBlocks.Where(b => b.UserId == target.Id).ToListAsync());
            blocks.Should().ContainSingle().Which.DecisionId.Should().Be(command.DecisionId);
        });
        var me = await fixture.WithToken(target.Tokens.AccessToken).GetFromJsonAsync<JsonElement>("/account/me");
        me.GetProperty("block").GetProperty("reason").GetString().Should().Be("Spam-Links");
        await Eventually.AssertAsync(() =>
        {
            fixture.EventsOf<UserBlocked>().Where(e => e.UserId == target.Id).Should().ContainSingle()
                .Which.BlockedBy.Should().Be(command.ModeratorId);
            return Task.CompletedTask;
        });
    }
}
