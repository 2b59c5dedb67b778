using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Mitreden.Identity.Contracts;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class BlockListTests(IdentityFixture fixture)
{
    [Fact]
    public async Task BlockList_Moderator_SeesBlockedUsersWithNamesButNoEmails_UntilUnblocked()
    {
        var moderator = fixture.WithToken((await fixture.CreateAccountAsync("Mod Liste", true, Roles.Moderator)).Tokens.AccessToken);
        var name = $"Gesperrt {Guid.NewGuid():N}"[..30];
        var target = await fixture.CreateAccountAsync(name);
        var other = await fixture.CreateAccountAsync("Nicht gesperrt");
        var until = DateTimeOffset.UtcNow.AddDays(5);
        (await moderator.PostAsJsonAsync($"/admin/users/{target.Id}/block", new { until = DateTimeOffset.UtcNow.AddDays(1), reason = "Erste Sperre" }))
            .EnsureSuccessStatusCode();
        (await moderator.PostAsJsonAsync($"/admin/users/{target.Id}/block", new { until, reason = "Wiederholte Werbung" }))
            .EnsureSuccessStatusCode();

        var response = await moderator.GetAsync($"/admin/blocks?q={Uri.EscapeDataString(name[..20].ToUpperInvariant())}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        var page = JsonDocument.Parse(body).RootElement;
        page.GetProperty("total").GetInt32().Should().Be(1, "one row per user, found case-insensitively by part of the name");
        var row = page.GetProperty("items")[0];
        row.GetProperty("userId").GetGuid().Should().Be(target.Id);
        row.GetProperty("displayName").GetString().Should().Be(name);
        row.GetProperty("reason").GetString().Should().Be("Wiederholte Werbung", "the block that lasts longest is shown");
        row.GetProperty("until").GetDateTimeOffset().Should().BeCloseTo(until, TimeSpan.FromMilliseconds(1));
        body.Should().NotContain(target.Email).And.NotContain("@", "the list never carries email addresses");

        var byId = await moderator.GetFromJsonAsync<JsonElement>($"/admin/blocks?q={target.Id}");
        byId.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("userId").GetGuid()).Should().Equal(target.Id);
        var notBlocked = await moderator.GetFromJsonAsync<JsonElement>($"/admin/blocks?q={other.Id}");
        notBlocked.GetProperty("total").GetInt32().Should().Be(0);

        (await moderator.DeleteAsync($"/admin/users/{target.Id}/block")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var afterUnblock = await moderator.GetFromJsonAsync<JsonElement>($"/admin/blocks?q={target.Id}");
        afterUnblock.GetProperty("total").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task BlockList_CitizenOrInvalidPage_IsRefused()
    {
        var citizen = fixture.WithToken((await fixture.CreateAccountAsync()).Tokens.AccessToken);
        var moderator = fixture.WithToken((await fixture.CreateAccountAsync("Mod Liste", true, Roles.Moderator)).Tokens.AccessToken);

        (await fixture.Anonymous().GetAsync("/admin/blocks")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await citizen.GetAsync("/admin/blocks")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await moderator.GetAsync("/admin/blocks?page=0")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await moderator.GetAsync("/admin/blocks")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
