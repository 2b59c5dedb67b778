using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// A token outlives the account it speaks for by up to its lifetime: Voting and Proposals must refuse it within
/// seconds of Identity's UserDeleted or UserBlocked event, on every instance, while other accounts act normally.
/// </summary>
public sealed class RevocationTests
{
    /// <summary>Within seconds: the events go Identity's outbox → RabbitMQ → one replica → every replica's next refresh.</summary>
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    internal sealed record Scene(HttpClient Admin, Guid ProcessId, Guid BallotId, Guid OptionId, Guid ItemId);

    internal static async Task<Scene> OpenBallotAsync()
    {
        var admin = StackClient.Client(await StackClient.AdminTokenAsync());
        var now = DateTimeOffset.UtcNow;
        var process = await StackClient.Json(await StackClient.PostJsonAsync(admin, "/api/proposals/processes",
            new { title = "Widerruf " + Guid.NewGuid().ToString("N")[..6], city = "Teststadt", description = "Gelöschte und gesperrte Konten" }),
            HttpStatusCode.Created);
        var processId = process.GetProperty("id").GetGuid();
        await StackClient.Json(await StackClient.PostJsonAsync(admin, $"/api/proposals/processes/{processId}/phases", new
        {
            title = "Online-Beteiligung", kind = "online-participation", startsAt = now.AddMinutes(-5), endsAt = now.AddDays(7),
            switches = new { proposing = true, commenting = true, preModeration = false, voting = true, resultsVisible = true },
        }), HttpStatusCode.Created);
        var item = await StackClient.Json(await StackClient.PostJsonAsync(admin, $"/api/proposals/processes/{processId}/items",
            new { title = "Radweg an der Lippe", description = "Ein durchgehender Radweg.", kind = "measure" }), HttpStatusCode.Created);
        await StackClient.Json(await StackClient.PostJsonAsync(admin, $"/api/proposals/processes/{processId}/publish", null), HttpStatusCode.OK);
        var itemId = item.GetProperty("id").GetGuid();
        var ballot = await Eventually.ValueAsync(async () => await StackClient.PostJsonAsync(admin, "/api/voting/ballots", new
        {
            processId, title = "Widerruf", method = "support", visibility = "live", eligibility = new { kind = "verified" },
            options = new[] { new { itemId, title = "Radweg an der Lippe" } }, opensAt = now.AddMinutes(-1), closesAt = now.AddDays(1),
        }), r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30));
        var created = await StackClient.Json(ballot, HttpStatusCode.Created);
        var ballotId = created.GetProperty("id").GetGuid();
        await StackClient.Json(await StackClient.PostJsonAsync(admin, $"/api/voting/ballots/{ballotId}/open", null), HttpStatusCode.OK);
        return new Scene(admin, processId, ballotId, created.GetProperty("options")[0].GetProperty("optionId").GetGuid(), itemId);
    }

    internal static async Task<(Guid Id, HttpClient Client)> CitizenAsync(string prefix)
    {
        var (id, email) = await StackClient.RegisterAsync(prefix);
        await StackClient.ConfirmEmailAsync(email);
        return (id, StackClient.Client(await StackClient.TokenAsync(email, StackClient.Password)));
    }

    internal static Task<HttpResponseMessage> VoteAsync(HttpClient citizen, Scene scene) =>
        StackClient.PostJsonAsync(citizen, $"/api/voting/ballots/{scene.BallotId}/votes", new { selected = new[] { scene.OptionId } });

    internal static Task<HttpResponseMessage> ProposeAsync(HttpClient citizen, Scene scene) =>
        StackClient.PostJsonAsync(citizen, $"/api/proposals/processes/{scene.ProcessId}/items",
            new { title = "Mehr Bänke am Ufer", description = "Eine Idee aus dem Widerrufstest." });

    /// <summary>Both actions accepted (the first vote waits until Voting has learned the phase from Proposals).</summary>
    private static async Task ShouldActAsync(HttpClient citizen, Scene scene)
    {
        var vote = await Eventually.ValueAsync(() => VoteAsync(citizen, scene), r => r.StatusCode == HttpStatusCode.Accepted, Within);
        await StackClient.Json(vote, HttpStatusCode.Accepted);
        await StackClient.Json(await ProposeAsync(citizen, scene), HttpStatusCode.Created);
    }

    /// <summary>Four refusals in a row of each kind: the gateway spreads them over both Voting instances.</summary>
    private static Task ShouldBeRefusedAsync(HttpClient citizen, Scene scene, string code) =>
        Eventually.AssertAsync(async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                await ShouldBeProblemAsync(await VoteAsync(citizen, scene), code);
                await ShouldBeProblemAsync(await ProposeAsync(citizen, scene), code);
            }
        }, Within);

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, string code)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, body);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            JsonDocument.Parse(body).RootElement.GetProperty("code").GetString().Should().Be(code);
        }
    }

    [Fact]
    public async Task DeletedAccount_ItsTokenIsRefusedByVotingAndProposals_OtherAccountStillActs()
    {
        var scene = await OpenBallotAsync();
        using var _ = scene.Admin;
        var (_, victim) = await CitizenAsync("deleted");
        var (_, other) = await CitizenAsync("other");
        using var __ = victim;
        using var ___ = other;
        await ShouldActAsync(victim, scene);

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/identity/account/me")
               {
                   Content = JsonContent.Create(new { password = StackClient.Password }),
               })
        {
            (await victim.SendAsync(delete)).IsSuccessStatusCode.Should().BeTrue();
        }

        await ShouldBeRefusedAsync(victim, scene, "account-deleted");
        (await StackClient.GetAsync(victim, $"/api/voting/ballots/{scene.BallotId}/votes/me")).StatusCode.Should().Be(HttpStatusCode.Forbidden,
            "a deleted account reads nothing of its own either");
        await ShouldActAsync(other, scene);
    }

    [Fact]
    public async Task BlockedAccount_RefusedByVotingAndProposals_AndAcceptedAgainAfterUnblock()
    {
        var scene = await OpenBallotAsync();
        using var _ = scene.Admin;
        var (victimId, victim) = await CitizenAsync("blocked");
        var (_, other) = await CitizenAsync("bystander");
        using var __ = victim;
        using var ___ = other;
        await ShouldActAsync(victim, scene);

        // The victim keeps the token issued before the block: only the UserBlocked event can stop it.
        await StackClient.Json(await StackClient.PostJsonAsync(scene.Admin, $"/api/identity/admin/users/{victimId}/block",
            new { until = DateTimeOffset.UtcNow.AddDays(3), reason = "Widerrufstest" }), HttpStatusCode.OK);
        await ShouldBeRefusedAsync(victim, scene, "user-blocked");
        (await StackClient.GetAsync(victim, $"/api/voting/ballots/{scene.BallotId}/votes/me")).StatusCode.Should().Be(HttpStatusCode.OK,
            "a blocked account still reads its own vote");
        await ShouldActAsync(other, scene);

        using (var unblock = await StackClient.SendAsync(scene.Admin,
                   () => new HttpRequestMessage(HttpMethod.Delete, $"/api/identity/admin/users/{victimId}/block")))
        {
            unblock.IsSuccessStatusCode.Should().BeTrue(await unblock.Content.ReadAsStringAsync());
        }
        await Eventually.AssertAsync(async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                await StackClient.Json(await VoteAsync(victim, scene), HttpStatusCode.Accepted);
            }
        }, Within);
        await StackClient.Json(await ProposeAsync(victim, scene), HttpStatusCode.Created);
    }
}
