using System.Net;
using System.Text;
using System.Text.Json;
using Mitreden.Moderation.Contracts;
using Npgsql;

namespace Mitreden.Moderation.Tests;

[Collection(ModerationCollection.Name)]
public sealed class AuditTests(ModerationFixture fx)
{
    [Theory]
    [InlineData("UPDATE audit_log SET note = 'geändert'")]
    [InlineData("DELETE FROM audit_log")]
    [InlineData("TRUNCATE audit_log")]
    public async Task AuditLog_ChangedWithRawSql_IsRejectedByTheDatabase(string sql)
    {
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid());
        (await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, new { decision = "approve", version = 0 }))
            .EnsureSuccessStatusCode();
        await using var connection = new NpgsqlConnection(fx.Factory.Database.ConnectionString);
        await connection.OpenAsync();

        var change = async () => await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();

        (await change.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("append-only");
        var count = (long)(await new NpgsqlCommand("SELECT count(*) FROM audit_log WHERE note IS DISTINCT FROM 'geändert'", connection).ExecuteScalarAsync())!;
        count.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task AuditExport_Csv_IsUtf8WithBomAndSemicolons()
    {
        var processId = Guid.NewGuid();
        var posted = await fx.QueuedCommentAsync(processId);
        (await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId,
            new { decision = "hide", version = 0, reason = HideReasons.PersonalData, noteToAuthor = "=Telefonnummer; bitte nicht veröffentlichen" }))
            .EnsureSuccessStatusCode();

        var response = await fx.Factory.Staff().GetAsync($"/audit?format=csv&processId={processId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("id;at;actorId;action;processId;commentId;decisionId;reason;note;previousState;newState;details");
        lines.Should().HaveCount(2);
        lines[1].Should().Contain(";hide;").And.Contain(posted.CommentId.ToString()).And.Contain(";personal-data;")
            .And.Contain("\"'=Telefonnummer; bitte nicht veröffentlichen\"", "a note cannot become a spreadsheet formula");
    }

    [Fact]
    public async Task AuditExport_CsvDe_HasGermanColumnsValuesAndLocalTime_CsvKeepsItsCodes()
    {
        var processId = Guid.NewGuid();
        var posted = await fx.QueuedCommentAsync(processId);
        (await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId,
            new { decision = "hide", version = 0, reason = HideReasons.OffTopic, noteToAuthor = "Bitte beim Thema bleiben." }))
            .EnsureSuccessStatusCode();

        var response = await fx.Factory.Staff().GetAsync($"/audit?format=csv-de&processId={processId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Nr.;Zeitpunkt (Ortszeit);Handelnde Person (Kennung);Aktion;Prozess;Beitrag;Entscheidung;Grund;Notiz;" +
            "Zustand vorher;Zustand nachher;Einzelheiten");
        lines.Should().HaveCount(2);
        var cells = lines[1].Split(';');
        cells[1].Should().MatchRegex(@"^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$");
        cells[3].Should().Be("ausgeblendet");
        cells[7].Should().Be("nicht zum Thema");
        cells[10].Should().Be("ausgeblendet");

        var machine = await fx.Factory.Staff().GetStringAsync($"/audit?format=csv&processId={processId}");
        machine.Should().Contain(";hide;").And.Contain(";off-topic;").And.NotContain("ausgeblendet");
    }

    [Fact]
    public async Task AuditExport_Json_FiltersByTimeRange_AndIsForStaffOnly()
    {
        var processId = Guid.NewGuid();
        var before = DateTimeOffset.UtcNow;
        var posted = await fx.QueuedCommentAsync(processId);
        (await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, new { decision = "approve", version = 0 }))
            .EnsureSuccessStatusCode();
        var after = DateTimeOffset.UtcNow;
        string Range(DateTimeOffset from, DateTimeOffset to) =>
            $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&processId={processId}";

        var inside = JsonDocument.Parse(await fx.Factory.Staff().GetStringAsync($"/audit?format=json&{Range(before, after)}")).RootElement;
        var outside = JsonDocument.Parse(await fx.Factory.Staff().GetStringAsync($"/audit?{Range(after, after.AddHours(1))}")).RootElement;

        inside.GetArrayLength().Should().Be(1);
        inside[0].GetProperty("action").GetString().Should().Be(Decisions.Approve);
        inside[0].GetProperty("previousState").GetString().Should().Be("visible");
        outside.GetArrayLength().Should().Be(0);
        (await fx.Factory.Moderator().GetAsync("/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await fx.Factory.Staff().GetAsync("/audit?format=xml")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await fx.Factory.Staff().GetAsync($"/audit?{Range(after, before)}")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task AuditEntries_Moderator_ReadsNewestFirstPagedAndFiltered()
    {
        var processId = Guid.NewGuid();
        var moderatorId = Guid.NewGuid();
        var moderator = fx.Factory.ClientFor(moderatorId, ["moderator"]);
        var approved = await fx.QueuedCommentAsync(processId);
        var hidden = await fx.QueuedCommentAsync(processId);
        var approvedToo = await fx.QueuedCommentAsync(processId);
        (await ModerationFixture.DecideAsync(moderator, approved.CommentId, new { decision = "approve", version = 0 })).EnsureSuccessStatusCode();
        (await ModerationFixture.DecideAsync(moderator, hidden.CommentId,
            new { decision = "hide", version = 0, reason = HideReasons.Insult, noteToAuthor = "Bitte sachlich bleiben." })).EnsureSuccessStatusCode();
        (await ModerationFixture.DecideAsync(moderator, approvedToo.CommentId, new { decision = "approve", version = 0 })).EnsureSuccessStatusCode();

        var first = JsonDocument.Parse(await moderator.GetStringAsync($"/audit/entries?processId={processId}&pageSize=2")).RootElement;
        var items = first.GetProperty("items");
        items.GetArrayLength().Should().Be(2);
        items[0].GetProperty("commentId").GetGuid().Should().Be(approvedToo.CommentId, "the newest entry comes first");
        items[1].GetProperty("commentId").GetGuid().Should().Be(hidden.CommentId);
        var next = first.GetProperty("next").GetString();
        next.Should().NotBeNullOrEmpty();
        var second = JsonDocument.Parse(await moderator.GetStringAsync(
            $"/audit/entries?processId={processId}&pageSize=2&cursor={Uri.EscapeDataString(next!)}")).RootElement;
        second.GetProperty("items").GetArrayLength().Should().Be(1);
        second.GetProperty("items")[0].GetProperty("commentId").GetGuid().Should().Be(approved.CommentId);
        second.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);

        var hides = JsonDocument.Parse(await moderator.GetStringAsync($"/audit/entries?processId={processId}&action=hide")).RootElement
            .GetProperty("items");
        hides.GetArrayLength().Should().Be(1);
        hides[0].GetProperty("actorId").GetGuid().Should().Be(moderatorId, "the log says who decided");
        hides[0].GetProperty("reason").GetString().Should().Be(HideReasons.Insult);
        hides[0].GetProperty("note").GetString().Should().Be("Bitte sachlich bleiben.");
        hides[0].GetProperty("newState").GetString().Should().Be("hidden");
        var later = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        JsonDocument.Parse(await moderator.GetStringAsync($"/audit/entries?processId={processId}&from={later}")).RootElement
            .GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=201")]
    [InlineData("cursor=abc")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    public async Task AuditEntries_InvalidQuery_Is422(string query)
    {
        var response = await fx.Factory.Moderator().GetAsync($"/audit/entries?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }
}
