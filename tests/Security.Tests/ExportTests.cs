using System.Globalization;
using System.Net;
using System.Text;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// Every CSV export, downloaded through the gateway after text that starts a spreadsheet formula was planted where
/// its authors can put it (a citizen's idea title that becomes a ballot option, a measure title, a voting-code group
/// name, a moderator's note): no cell starts a formula (OWASP "CSV Injection"), and each export has exactly the
/// columns listed here — the votes export none a receipt or the time of voting links to a row.
/// </summary>
public sealed class ExportTests
{
    public const string Formula = "=HYPERLINK(\"https://evil.example\";\"Klick\")";

    /// <param name="Columns">The header; "*" stands for the option titles (votes by voter).</param>
    public sealed record CsvExport(string Name, char Separator, string[] Columns, Func<Planted, Task<HttpResponseMessage>> Download);

    public static readonly IReadOnlyList<CsvExport> All =
    [
        new("voting tally csv", ',', ["option_id", "item_id", "title", "district", "online", "online_votes", "in_person", "total", "rank"],
            p => p.GetAsync(Who.Staff, $"/api/voting/ballots/{p.BallotId}/exports/tally?format=csv")),
        new("voting tally csv-de", ';', ["Option-ID", "Eintrag-ID", "Titel", "Stadtteil", "Online", "Online-Stimmen", "Vor Ort", "Gesamt", "Platz"],
            p => p.GetAsync(Who.Staff, $"/api/voting/ballots/{p.BallotId}/exports/tally?format=csv-de")),
        new("voting votes csv", ',', ["pseudonym", "district", "*"],
            p => p.GetAsync(Who.Staff, $"/api/voting/ballots/{p.BallotId}/exports/votes?format=csv")),
        new("voting votes csv-de", ';', ["Pseudonym", "Stadtteil", "*"],
            p => p.GetAsync(Who.Staff, $"/api/voting/ballots/{p.BallotId}/exports/votes?format=csv-de")),
        new("proposals monitoring report csv-de", ';',
            ["Maßnahme", "Handlungsfelder", "Priorität", "Zuständigkeit", $"Status Ende {DateTime.UtcNow.Year}", "Fortschritt %",
             $"Fortschritt % am 1.1.{DateTime.UtcNow.Year}", "Fortschritt im Jahr (Prozentpunkte)", "Fällige Meilensteine", "Erreichte Meilensteine",
             "Meilensteine", "Aktualisierungen im Jahr", "Letzte Anmerkung", "Letzte Aktualisierung", "ID"],
            p => p.GetAsync(Who.Anonymous, $"/api/proposals/processes/{p.World.ProcessId}/monitoring/report?format=csv-de&year={DateTime.UtcNow.Year}")),
        new("identity voting codes csv", ';', ["code", "group_id", "group_name"],
            p => p.PostAsync(Who.Admin, "/api/identity/admin/voting-code-groups", new { name = Formula, count = 2 })),
        new("moderation audit csv", ';', ["id", "at", "actorId", "action", "processId", "commentId", "decisionId", "reason", "note", "previousState", "newState", "details"],
            p => p.GetAsync(Who.Staff, $"/api/moderation/audit?format=csv&processId={p.World.ProcessId}")),
    ];

    public static TheoryData<string> Names() => new(All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task CsvExport_FormulaText_EveryCellNeutralised(string name)
    {
        var export = All.Single(e => e.Name == name);
        var planted = await Planted.GetAsync();

        var csv = await DownloadAsync(export, planted);

        var cells = Csv.Cells(csv, export.Separator);
        cells.Should().Contain("'" + Formula, $"{name}: the planted text is in the export, behind an apostrophe");
        cells.Where(c => c.Length > 0 && c[0] is '=' or '+' or '@' or '\t' or '\r').Should().BeEmpty($"{name}: no cell may start a formula");
        cells.Where(c => c.StartsWith('-') && !IsNumber(c, export.Separator)).Should().BeEmpty($"{name}: '-' starts only numbers we wrote");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task CsvExport_Header_IsExactlyTheListedColumns(string name)
    {
        var export = All.Single(e => e.Name == name);
        var planted = await Planted.GetAsync();

        var header = Csv.Rows(await DownloadAsync(export, planted), export.Separator)[0];

        var fixedColumns = export.Columns.TakeWhile(c => c != "*").ToArray();
        header.Take(fixedColumns.Length).Should().Equal(fixedColumns, $"{name}: the export's columns");
        if (export.Columns.Contains("*"))
        {
            header.Skip(fixedColumns.Length).Should().HaveCount(planted.OptionCount, "then one column per option")
                .And.Contain("'" + Formula, "option titles are text cells too");
        }
        else
        {
            header.Should().HaveCount(fixedColumns.Length);
        }
        header.Should().NotContain(c => c.Contains("sequen", StringComparison.OrdinalIgnoreCase) || c.Contains("cast", StringComparison.OrdinalIgnoreCase)
            || c.Contains("voter_key", StringComparison.OrdinalIgnoreCase) || c.Contains("mail", StringComparison.OrdinalIgnoreCase),
            "no column a receipt, the time of voting or an account links to");
    }

    private static async Task<string> DownloadAsync(CsvExport export, Planted planted)
    {
        using var response = await export.Download(planted);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Created], body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        return body.TrimStart('\uFEFF');
    }

    private static bool IsNumber(string cell, char separator) =>
        decimal.TryParse(cell, NumberStyles.Number, separator == ';' ? CultureInfo.GetCultureInfo("de-DE") : CultureInfo.InvariantCulture, out _);

    /// <summary>Formula text planted once where each export's authors can put it.</summary>
    public sealed class Planted
    {
        private static readonly Lazy<Task<Planted>> Shared = new(CreateAsync);

        public static Task<Planted> GetAsync() => Shared.Value;

        public required World World { get; init; }
        public Guid BallotId { get; private set; }
        public int OptionCount { get; private set; }

        public Task<HttpResponseMessage> GetAsync(Who who, string path)
        {
            var client = World.ClientFor(who);
            return StackClient.GetAsync(client, path);
        }

        public Task<HttpResponseMessage> PostAsync(Who who, string path, object body)
        {
            var client = World.ClientFor(who);
            return StackClient.PostJsonAsync(client, path, body);
        }

        private static async Task<Planted> CreateAsync()
        {
            var world = await World.GetAsync();
            var planted = new Planted { World = world };
            using var citizen = world.ClientFor(Who.Citizen);
            using var staff = world.ClientFor(Who.Staff);

            // A citizen's idea whose title starts a formula; staff put it on a ballot without retyping the title.
            using var ideaAuthor = world.ClientFor(Who.OtherDistrict);
            var idea = (await StackClient.Json(await StackClient.PostJsonAsync(ideaAuthor, $"/api/proposals/processes/{world.ProcessId}/items",
                new { title = Formula, description = "Idee mit einer Formel als Titel." }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
            // A measure with such a title, for the monitoring report.
            await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/proposals/processes/{world.ProcessId}/items",
                new { title = Formula, description = "Maßnahme mit einer Formel als Titel.", kind = "measure" }), HttpStatusCode.Created);
            var now = DateTimeOffset.UtcNow;
            var created = await Eventually.ValueAsync(async () =>
            {
                using var response = await StackClient.PostJsonAsync(staff, "/api/voting/ballots", new
                {
                    processId = world.ProcessId, title = "Formeltest " + Random.Shared.Next(1000, 9999), method = "support", visibility = "live",
                    eligibility = new { kind = "verified" },
                    options = new object[] { new { itemId = idea }, new { title = "Mehr Bäume am Markt" } },
                    opensAt = now.AddMinutes(-1), closesAt = now.AddDays(3),
                });
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }, r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30));
            created.StatusCode.Should().Be(HttpStatusCode.Created, created.Body);
            using (var document = System.Text.Json.JsonDocument.Parse(created.Body))
            {
                planted.BallotId = document.RootElement.GetProperty("id").GetGuid();
                planted.OptionCount = document.RootElement.GetProperty("options").GetArrayLength();
                var option = document.RootElement.GetProperty("options")[0].GetProperty("optionId").GetGuid();
                await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/voting/ballots/{planted.BallotId}/open", null), HttpStatusCode.OK);
                await StackClient.Json(await StackClient.PostJsonAsync(citizen, $"/api/voting/ballots/{planted.BallotId}/votes",
                    new { selected = new[] { option } }), HttpStatusCode.Accepted);
            }
            await Eventually.AssertAsync(async () =>
            {
                var results = await StackClient.Json(await StackClient.GetAsync(staff, $"/api/voting/ballots/{planted.BallotId}/results"), HttpStatusCode.OK);
                results.GetProperty("voters").GetInt64().Should().Be(1, "the vote should be counted");
            }, TimeSpan.FromSeconds(30));

            // A moderator's note that starts a formula, for the audit log.
            var comment = await StackClient.CommentAsync(citizen, world.SecondItemId, "Kommentar für den Formeltest " + Guid.NewGuid().ToString("N")[..6]);
            using var moderator = world.ClientFor(Who.Moderator);
            var version = await Eventually.ValueAsync(async () =>
            {
                using var response = await StackClient.GetAsync(moderator, $"/api/moderation/comments/{comment}");
                return response.StatusCode != HttpStatusCode.OK ? -1
                    : System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("comment").GetProperty("version").GetInt32();
            }, v => v >= 0, TimeSpan.FromSeconds(30));
            await StackClient.Json(await StackClient.PostJsonAsync(moderator, $"/api/moderation/comments/{comment}/decisions",
                new { decision = "hide", version, reason = "personal-data", noteToAuthor = Formula }), HttpStatusCode.OK);
            return planted;
        }
    }
}
