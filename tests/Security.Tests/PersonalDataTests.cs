using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Npgsql;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// "Meine Daten" (GDPR Art. 15, 17, 20): every service answers for its own part of a person's data, and after the
/// account is deleted no service holds the person's id — votes stay counted under their pseudonymous voter key.
/// </summary>
public sealed class PersonalDataTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private static readonly string[] Services = ["identity", "proposals", "comments", "voting", "moderation"];

    /// <summary>
    /// Tables that may name a deleted account for a bounded time, and why: the refusal lists (Voting, Proposals,
    /// Comments' copy of accounts) refuse the deleted account's still-valid access tokens; dispatched outbox messages
    /// are kept for diagnosis for the outbox retention (7 days) and then removed.
    /// </summary>
    private static readonly Dictionary<string, string> Bounded = new()
    {
        ["proposals.refused_subjects"] = "deleted_at IS NOT NULL",
        ["voting.refused_subjects"] = "deleted_at IS NOT NULL",
        ["moderation.refused_subjects"] = "deleted_at IS NOT NULL",
        ["comments.users"] = "deleted_at IS NOT NULL AND display_name IS NULL",
        ["identity.outbox_messages"] = "true",
        ["proposals.outbox_messages"] = "true",
        ["comments.outbox_messages"] = "true",
        ["voting.outbox_messages"] = "true",
        ["moderation.outbox_messages"] = "true",
    };

    private static async Task<JsonElement> ExportAsync(HttpClient client, string service) =>
        await StackClient.Json(await StackClient.GetAsync(client, service == "identity" ? "/api/identity/account/me/export" : $"/api/{service}/me/export"),
            HttpStatusCode.OK);

    [Fact]
    public async Task CitizenActsEverywhere_EachServiceExportsItsPart_AfterDeletionNoServiceHoldsTheId()
    {
        var scene = await RevocationTests.OpenBallotAsync();
        var (id, citizen) = await RevocationTests.CitizenAsync("daten");
        var (_, neighbour) = await RevocationTests.CitizenAsync("nachbar");

        // The person acts in every service: a vote, an idea, a comment, an up-vote and a report on someone else's comment.
        var vote = await Eventually.ValueAsync(() => RevocationTests.VoteAsync(citizen, scene), r => r.StatusCode == HttpStatusCode.Accepted, Within);
        var receipt = (await StackClient.Json(vote, HttpStatusCode.Accepted)).GetProperty("receiptHash").GetString();
        var idea = await StackClient.Json(await RevocationTests.ProposeAsync(citizen, scene), HttpStatusCode.Created);
        var commentId = await StackClient.CommentAsync(citizen, scene.ItemId, "Meine Meinung zum Radweg, bitte mit Beleuchtung.");
        var otherId = await StackClient.CommentAsync(neighbour, scene.ItemId, "Ein Kommentar der Nachbarin.");
        (await StackClient.PostJsonAsync(citizen, $"/api/comments/comments/{otherId}/upvote", null)).IsSuccessStatusCode.Should().BeTrue();
        await StackClient.Json(await StackClient.PostJsonAsync(citizen, $"/api/comments/comments/{otherId}/reports", new { reason = "spam", note = "Werbung" }),
            HttpStatusCode.Created);

        // A seat at a coming event (the last one); the neighbour waits for it.
        var now = DateTimeOffset.UtcNow;
        var evt = await StackClient.Json(await StackClient.PostJsonAsync(scene.Admin, $"/api/proposals/processes/{scene.ProcessId}/events", new
        {
            title = "Werkstatt Radweg", startsAt = now.AddDays(3), endsAt = now.AddDays(3).AddHours(2), place = "Rathaus, Saal 1",
            registration = true, capacity = 1,
        }), HttpStatusCode.Created);
        var eventPath = $"/api/proposals/processes/{scene.ProcessId}/events/{evt.GetProperty("id").GetGuid()}";
        (await StackClient.Json(await StackClient.PostJsonAsync(citizen, $"{eventPath}/registration", null), HttpStatusCode.OK))
            .GetProperty("myStatus").GetString().Should().Be("registered");
        (await StackClient.Json(await StackClient.PostJsonAsync(neighbour, $"{eventPath}/registration", null), HttpStatusCode.OK))
            .GetProperty("myStatus").GetString().Should().Be("waiting");

        // Each service answers for its own part, only about this person.
        (await ExportAsync(citizen, "identity")).GetProperty("profile").GetProperty("id").GetGuid().Should().Be(id);
        var proposals = await ExportAsync(citizen, "proposals");
        proposals.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Should().Equal(idea.GetProperty("id").GetGuid());
        proposals.GetProperty("eventRegistrations").EnumerateArray().Select(r => r.GetProperty("status").GetString()).Should().Equal("registered");
        var comments = await ExportAsync(citizen, "comments");
        comments.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).Should().Equal(commentId);
        comments.GetProperty("upvotes").EnumerateArray().Select(u => u.GetProperty("commentId").GetGuid()).Should().Equal(otherId);
        comments.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("commentId").GetGuid()).Should().Equal(otherId);
        await Eventually.AssertAsync(async () =>
        {
            var voting = await ExportAsync(citizen, "voting");
            var mine = voting.GetProperty("votes").EnumerateArray().Should().ContainSingle().Subject;
            mine.GetProperty("ballotId").GetGuid().Should().Be(scene.BallotId);
            mine.GetProperty("receiptHash").GetString().Should().Be(receipt, "the export carries the receipt the vote was answered with");
            var moderation = await ExportAsync(citizen, "moderation");
            moderation.GetProperty("myComments").EnumerateArray().Select(c => c.GetProperty("commentId").GetGuid()).Should().Contain(commentId);
            moderation.GetProperty("myReports").EnumerateArray().Select(r => r.GetProperty("commentId").GetGuid()).Should().Equal(otherId);
        }, Within);
        var neighbours = await ExportAsync(neighbour, "comments");
        neighbours.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).Should().Equal(otherId);
        neighbours.GetProperty("reports").GetArrayLength().Should().Be(0, "nobody sees who reported them");
        (await StackClient.GetAsync(StackClient.Client(), "/api/comments/me/export")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // The scan finds the id where the person acted (it would find it after the deletion too); Voting has none: votes are pseudonymous.
        (await HoldersAsync(id)).Select(h => h.Split('.')[0]).Distinct().Should().BeEquivalentTo(["identity", "proposals", "comments", "moderation"]);

        // Delete the account: every service lets go of the id; the idea, the comment and the vote remain.
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/identity/account/me") { Content = JsonContent.Create(new { password = StackClient.Password }) };
        (await citizen.SendAsync(delete)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await Eventually.AssertAsync(async () => (await HoldersAsync(id)).Should().BeEmpty(), Within);
        var item = await StackClient.Json(await StackClient.GetAsync(scene.Admin, $"/api/proposals/items/{idea.GetProperty("id").GetGuid()}"), HttpStatusCode.OK);
        item.GetProperty("authorName").GetString().Should().Be("gelöschtes Konto");
        var mineAfter = await StackClient.Json(await StackClient.GetAsync(scene.Admin, $"/api/voting/ballots/{scene.BallotId}/receipts/{receipt}"), HttpStatusCode.OK);
        mineAfter.GetProperty("status").GetString().Should().Be("counted", "a deleted account's vote stays counted");
        (await StackClient.Json(await StackClient.GetAsync(neighbour, eventPath), HttpStatusCode.OK)).GetProperty("myStatus").GetString()
            .Should().Be("registered", "the deleted account's seat went to the waiting list");
    }

    /// <summary>Every row of every stack database whose text names the id, except the bounded holders above.</summary>
    private static async Task<List<string>> HoldersAsync(Guid id)
    {
        var holders = new List<string>();
        foreach (var service in Services)
        {
            var cs = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdmin) { Database = $"mitreden_{service}" }.ConnectionString;
            await using var connection = new NpgsqlConnection(cs);
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }
            foreach (var table in tables)
            {
                var allowed = Bounded.TryGetValue($"{service}.{table}", out var condition) ? $" AND NOT ({condition})" : "";
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" t WHERE t::text LIKE $1{allowed}", connection);
                count.Parameters.Add(new NpgsqlParameter { Value = $"%{id}%" });
                if ((long)(await count.ExecuteScalarAsync())! > 0)
                {
                    holders.Add($"{service}.{table}");
                }
            }
        }
        return holders;
    }
}
