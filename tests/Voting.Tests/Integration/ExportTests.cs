using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Pipeline;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>Exports against a real database: receipt-freeness, formula cells, German headers, pabulib for every method.</summary>
[Collection(VotingCollection.Name)]
public sealed class ExportTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    private sealed record Cast(Guid UserId, string ReceiptHash, long Sequence, string Canonical);

    [Fact]
    public async Task VotesExport_EveryFormat_HoldsNothingAReceiptLinksToARow()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("approval", Api.TextOptions("Radweg", "Park", "Bücherei"), max: 2));
        var casts = new List<Cast>();
        foreach (var (district, selected) in new[] { ("mitte", new[] { o[0] }), ("nord", [o[1], o[2]]), ("mitte", [o[0], o[2]]), ("ost", [o[1]]) })
        {
            var voter = _factory.Citizen(out var userId, district: district);
            var receipt = await voter.VoteAsync(ballot, new { selected });
            casts.Add(new Cast(userId, receipt.GetProperty("receiptHash").GetString()!, receipt.GetProperty("sequence").GetInt64(),
                Choices.FromSelection(selected).Choices!.ToCanonical()));
        }
        await _factory.WaitConsumedAsync(ballot, casts.Count);
        var staff = _factory.Staff();

        var csv = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/votes?format=csv"));
        var csvDe = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/votes?format=csv-de")).TrimStart('\uFEFF');
        var json = await staff.GetStringAsync($"/ballots/{ballot}/exports/votes?format=json");
        var pb = await staff.GetStringAsync($"/ballots/{ballot}/exports/votes?format=pb");
        var xlsx = XlsxRows(await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/votes?format=xlsx"));

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("pseudonym,district,Radweg,Park,Bücherei", "no sequence, no time of casting");
        csvDe.Split("\r\n")[0].Should().Be("Pseudonym;Stadtteil;Radweg;Park;Bücherei");
        xlsx[0].Should().Equal("Pseudonym", "Stadtteil", "Radweg", "Park", "Bücherei");
        using (var document = JsonDocument.Parse(json))
        {
            document.RootElement.GetProperty("votes").EnumerateArray().Select(v => string.Join(",", v.EnumerateObject().Select(p => p.Name)))
                .Should().OnlyContain(names => names == "pseudonym,district,choices");
        }
        var pseudonyms = lines.Skip(1).Select(l => l.Split(',')[0]).ToList();
        pseudonyms.Should().HaveCount(casts.Count).And.OnlyContain(p => p.Length == 32 && p.All(char.IsAsciiHexDigitLower));
        pseudonyms.Should().BeInAscendingOrder(StringComparer.Ordinal, "rows come ordered by the pseudonym, not by time");
        xlsx.Skip(1).Select(r => r[0]).Should().Equal(pseudonyms);

        var keys = _factory.Services.GetRequiredService<VoterKeys>();
        var exportKey = keys.ExportKey(ballot);
        var voterKeys = casts.Select(c => VoterKeys.Hex(keys.For(c.UserId, ballot))).ToList();
        pseudonyms.Should().BeEquivalentTo(casts.Select(c => VoterKeys.ExportPseudonym(exportKey, keys.For(c.UserId, ballot))));
        foreach (var (text, format) in new[] { (csv, "csv"), (csvDe, "csv-de"), (json, "json"), (pb, "pb") })
        {
            foreach (var cast in casts)
            {
                text.Should().NotContain(cast.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{format}: the receipt's sequence");
                text.Should().NotContain(cast.ReceiptHash, $"{format}: the receipt hash");
                text.Should().NotContain(VoteSequence.ToTime(cast.Sequence).ToString("yyyy-MM-dd'T'HH:mm"), $"{format}: the time of casting");
            }
            foreach (var key in voterKeys)
            {
                text.Should().NotContain(key, $"{format}: the voter key lets a voter recompute their receipt hash for a row");
            }
        }
        // The attack the voter key allowed: for each row, hash (ballot | row key | my receipt's sequence | row choices).
        foreach (var cast in casts)
        {
            pseudonyms.Select(p => Receipts.Hash(ballot, p, cast.Sequence, cast.Canonical)).Should().NotContain(cast.ReceiptHash);
        }
    }

    [Fact]
    public async Task TallyAndVotesExports_FormulaTitles_NeutralisedInCsvAndCsvDe_NumbersUntouched()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("approval",
            Api.TextOptions("=HYPERLINK(\"http://evil\";\"klick\")", "-Bäume", "@Park", "+Radweg"), max: 4));
        await _factory.Citizen(out _, district: "mitte").VoteAsync(ballot, new { selected = new[] { o[0], o[1] } });
        await _factory.WaitConsumedAsync(ballot, 1);
        var staff = _factory.Staff();

        foreach (var (format, separator) in new[] { ("csv", ','), ("csv-de", ';') })
        {
            var tally = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/tally?format={format}")).TrimStart('\uFEFF');
            var votes = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/ballots/{ballot}/exports/votes?format={format}")).TrimStart('\uFEFF');

            var cells = Csv.Cells(tally, separator).Concat(Csv.Cells(votes, separator)).ToList();
            cells.Where(c => c.Length > 0 && c[0] is '=' or '+' or '@').Should().BeEmpty($"{format}: no cell starts a formula");
            cells.Where(c => c.StartsWith('-') && !decimal.TryParse(c, System.Globalization.NumberStyles.Number,
                format == "csv-de" ? System.Globalization.CultureInfo.GetCultureInfo("de-DE") : System.Globalization.CultureInfo.InvariantCulture, out _))
                .Should().BeEmpty($"{format}: a cell starting with '-' is a number we wrote, never text");
            tally.Should().Contain("'=HYPERLINK(").And.Contain("'-Bäume").And.Contain("'@Park").And.Contain("'+Radweg");
            votes.Split("\r\n")[0].Should().Contain("'=HYPERLINK(").And.Contain("'-Bäume");
            tally.Should().Contain($"{o[1]}{separator}{separator}'-Bäume{separator}{(format == "csv" ? "all" : "alle")}{separator}1{separator}1{separator}0{separator}1{separator}");
        }
    }

    [Fact]
    public async Task TallyXlsx_GermanHeaders_OptionTitlesAsText_CountsAsNumbers()
    {
        var (ballot, o) = await _factory.CreateOpenBallotAsync(Api.Ballot("support", Api.TextOptions("=1+1", "Park")));
        await _factory.Citizen(out _, district: "mitte").VoteAsync(ballot, new { selected = new[] { o[0] } });
        await _factory.WaitConsumedAsync(ballot, 1);

        var bytes = await _factory.Staff().GetByteArrayAsync($"/ballots/{ballot}/exports/tally?format=xlsx");

        var rows = XlsxRows(bytes);
        rows[0].Should().Equal("Option-ID", "Eintrag-ID", "Titel", "Stadtteil", "Online", "Online-Stimmen", "Vor Ort", "Gesamt", "Platz");
        rows[1][2].Should().Be("=1+1");
        rows[1][3].Should().Be("alle");
        using var zip = new ZipArchive(new MemoryStream(bytes));
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var sheet = await reader.ReadToEndAsync();
        sheet.Should().NotContain("<x:").And.NotContain("<f>", "no formulas, and no prefixed elements");
    }

    public static TheoryData<string, string> Methods => new()
    {
        { "approval", "approval" },
        { "support", "approval" },
        { "ranking", "ordinal" },
        { "scoring", "scoring" },
        { "cumulative", "cumulative" },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task PabulibExport_EveryMethod_FollowsTheFormat(string method, string voteType)
    {
        var ballotBody = method switch
        {
            "scoring" => Api.Ballot(method, Api.TextOptions("A", "B; C", "D"), maxScore: 5),
            "cumulative" => Api.Ballot(method, Api.TextOptions("A", "B; C", "D"), dots: 5, maxPerOption: 3),
            "approval" => Api.Ballot(method, Api.TextOptions("A", "B; C", "D"), max: 2),
            _ => Api.Ballot(method, Api.TextOptions("A", "B; C", "D")),
        };
        var (ballot, o) = await _factory.CreateOpenBallotAsync(ballotBody);
        object choices = method switch
        {
            "ranking" => new { ranking = new[] { o[2], o[0], o[1] } },
            "scoring" => new { points = new Dictionary<Guid, int> { [o[0]] = 5, [o[1]] = 0, [o[2]] = 2 } },
            "cumulative" => new { points = new Dictionary<Guid, int> { [o[0]] = 3, [o[2]] = 2 } },
            _ => new { selected = new[] { o[0], o[2] } },
        };
        await _factory.Citizen(out _, district: "mitte").VoteAsync(ballot, choices);
        await _factory.WaitConsumedAsync(ballot, 1);

        var response = await _factory.Staff().GetAsync($"/ballots/{ballot}/exports/votes?format=pb");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var pb = await response.Content.ReadAsStringAsync();
        var sections = Sections(pb);
        sections.Keys.Should().Equal("META", "PROJECTS", "VOTES");
        var meta = sections["META"].Skip(1).ToDictionary(l => l[0], l => l[1]);
        meta["vote_type"].Should().Be(voteType);
        meta["num_projects"].Should().Be("3");
        meta["num_votes"].Should().Be("1");
        meta["budget"].Should().Be("3", "without costs each option costs 1 and the budget funds them all");
        foreach (var key in new[] { "description", "country", "unit", "instance", "rule" })
        {
            meta.Should().ContainKey(key);
        }
        var projects = sections["PROJECTS"];
        projects[0][0].Should().Be("project_id");
        projects.Skip(1).Select(p => p[0]).Should().Equal(o.Select(id => id.ToString("N")));
        projects.Skip(1).Should().OnlyContain(p => p.Length == projects[0].Length, "';' in a title must not add a column");
        var votes = sections["VOTES"];
        var vote = votes[1];
        vote[0].Should().MatchRegex("^[0-9a-f]{32}$");
        var header = votes[0];
        var projectsVoted = vote[Array.IndexOf(header, "vote")].Split(',');
        switch (voteType)
        {
            case "ordinal":
                header.Should().Equal("voter_id", "vote", "neighborhood");
                meta["scoring_fn"].Should().Be("Borda");
                projectsVoted.Should().Equal(o[2].ToString("N"), o[0].ToString("N"), o[1].ToString("N"));
                break;
            case "scoring" or "cumulative":
                header.Should().Equal("voter_id", "vote", "points", "neighborhood");
                var points = vote[2].Split(',');
                var byProject = projectsVoted.Zip(points).ToDictionary(p => p.First, p => p.Second);
                byProject[o[0].ToString("N")].Should().Be(voteType == "scoring" ? "5" : "3");
                byProject[o[2].ToString("N")].Should().Be("2");
                meta["max_points"].Should().Be(voteType == "scoring" ? "5" : "3");
                if (voteType == "cumulative")
                {
                    meta["max_sum_points"].Should().Be("5");
                    byProject.Should().NotContainKey(o[1].ToString("N"));
                }
                break;
            default:
                header.Should().Equal("voter_id", "vote", "neighborhood");
                projectsVoted.Should().BeEquivalentTo([o[0].ToString("N"), o[2].ToString("N")]);
                break;
        }
        vote[^1].Should().Be("mitte");
    }

    private static Dictionary<string, List<string[]>> Sections(string pb)
    {
        var sections = new Dictionary<string, List<string[]>>();
        List<string[]>? current = null;
        foreach (var line in pb.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line is "META" or "PROJECTS" or "VOTES")
            {
                sections[line] = current = [];
                continue;
            }
            current!.Add(line.Split(';'));
        }
        return sections;
    }

    private static List<string?[]> XlsxRows(byte[] bytes)
    {
        XNamespace x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        using var zip = new ZipArchive(new MemoryStream(bytes));
        using var stream = zip.GetEntry("xl/worksheets/sheet1.xml")!.Open();
        return XDocument.Load(stream).Descendants(x + "row").Select(row =>
        {
            var cells = row.Elements(x + "c").ToList();
            var width = cells.Count == 0 ? 0 : cells.Max(c => Column((string)c.Attribute("r")!)) + 1;
            var values = new string?[width];
            foreach (var c in cells)
            {
                values[Column((string)c.Attribute("r")!)] = c.Element(x + "v")?.Value ?? c.Element(x + "is")?.Element(x + "t")?.Value;
            }
            return values;
        }).ToList();
    }

    private static int Column(string reference)
    {
        var n = 0;
        foreach (var ch in reference.TakeWhile(char.IsAsciiLetterUpper))
        {
            n = (n * 26) + (ch - 'A' + 1);
        }
        return n - 1;
    }
}
