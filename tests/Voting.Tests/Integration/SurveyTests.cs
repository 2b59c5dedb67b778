using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mitreden.TestKit;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>Surveys against a real database: every rule refused with nothing stored, anonymity, hidden results, exports.</summary>
[Collection(VotingCollection.Name)]
public sealed class SurveyTests(VotingFixture fixture)
{
    private readonly ServiceFactory<VotingDb> _factory = fixture.Factory;

    private sealed record Created(Guid Id, Guid Single, Guid[] SingleOptions, Guid Multiple, Guid[] MultipleOptions, Guid Text, Guid Scale,
        Guid Matrix, Guid[] MatrixRows, Guid[] MatrixColumns);

    private static object Survey(bool anonymous = false, bool publicResults = true, object? eligibility = null, int textLength = 200) => new
    {
        processId = Guid.NewGuid(),
        phaseId = Guid.NewGuid(),
        title = "Umfrage Radverkehr " + Guid.NewGuid().ToString("N")[..6],
        description = "Wie kommen Sie in die Innenstadt?",
        anonymous,
        publicResults,
        eligibility = eligibility ?? new { kind = "verified" },
        questions = new object[]
        {
            new { kind = "single", text = "Wie oft fahren Sie Rad?", options = new[] { "täglich", "wöchentlich", "selten" } },
            new { kind = "multiple", text = "Was fehlt?", options = new[] { "Radwege", "Abstellplätze", "Beleuchtung", "Ampeln" }, maxChoices = 2 },
            new { kind = "text", text = "Was möchten Sie uns sagen?", required = false, maxLength = textLength },
            new { kind = "scale", text = "Wie sicher fühlen Sie sich?" },
            new { kind = "matrix", text = "Wie bewerten Sie …", rows = new[] { "Innenstadt", "Nord" }, options = new[] { "gut", "mittel", "schlecht" } },
        },
    };

    private async Task<Created> CreateAsync(object survey, bool open = true)
    {
        var staff = _factory.Staff();
        var created = await (await staff.PostJson("/surveys", survey)).Json200(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        if (open)
        {
            (await (await staff.PostAsync($"/surveys/{id}/open", null)).Json200()).GetProperty("state").GetString().Should().Be("open");
        }
        var q = created.GetProperty("questions").EnumerateArray().ToList();
        Guid[] Ids(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToArray();
        return new Created(id, q[0].GetProperty("id").GetGuid(), Ids(q[0], "options"), q[1].GetProperty("id").GetGuid(), Ids(q[1], "options"),
            q[2].GetProperty("id").GetGuid(), q[3].GetProperty("id").GetGuid(), q[4].GetProperty("id").GetGuid(), Ids(q[4], "rows"), Ids(q[4], "options"));
    }

    private static object Answers(Created s, string? text = "Mehr Bänke", int scale = 4, Guid[]? single = null, Guid[]? multiple = null,
        Dictionary<Guid, Guid>? matrix = null, object? extra = null) => new
        {
            answers = new object?[]
            {
                new { questionId = s.Single, selected = single ?? [s.SingleOptions[0]] },
                new { questionId = s.Multiple, selected = multiple ?? [s.MultipleOptions[0], s.MultipleOptions[2]] },
                new { questionId = s.Text, text },
                new { questionId = s.Scale, value = scale },
                new { questionId = s.Matrix, matrix = matrix ?? new Dictionary<Guid, Guid> { [s.MatrixRows[0]] = s.MatrixColumns[0], [s.MatrixRows[1]] = s.MatrixColumns[2] } },
                extra,
            }.Where(a => a is not null).ToArray(),
        };

    private Task<long> StoredAsync(Guid survey) => _factory.QueryAsync<long>("""
        SELECT (SELECT count(*) FROM survey_responses WHERE survey_id = @survey) + (SELECT count(*) FROM survey_answers WHERE survey_id = @survey)
             + (SELECT count(*) FROM survey_participants WHERE survey_id = @survey)
        """, new { survey });

    [Fact]
    public async Task Answer_Valid_IsStoredOnceAndSecondSubmitIsConflict()
    {
        var s = await CreateAsync(Survey());
        var citizen = _factory.Citizen(out var userId);
        await (await citizen.PostJson($"/surveys/{s.Id}/answers", Answers(s))).Json200(HttpStatusCode.Created);

        var again = await citizen.PostJson($"/surveys/{s.Id}/answers", Answers(s, scale: 1));
        var problem = await again.Json200(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().Should().Be("already-answered");
        (await _factory.QueryAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @id", new { id = s.Id })).Should().Be(1);
        (await _factory.QueryAsync<long>("SELECT count(*) FROM survey_answers WHERE survey_id = @id AND value = 1", new { id = s.Id })).Should().Be(0);
        (await _factory.QueryAsync<Guid?>("SELECT account_id FROM survey_responses WHERE survey_id = @id", new { id = s.Id }))
            .Should().Be(userId, "an account-bound survey keeps the account");
        var personal = await (await citizen.GetAsync("/me/export")).Json200();
        personal.GetProperty("surveyResponses").EnumerateArray().Select(r => r.GetProperty("surveyId").GetGuid()).Should().Equal(s.Id);
        var mine = await (await citizen.GetAsync($"/surveys/{s.Id}/answers/me")).Json200();
        mine.GetProperty("answered").GetBoolean().Should().BeTrue();
        mine.GetProperty("mayAnswer").GetBoolean().Should().BeFalse();
    }

    public static TheoryData<string> BrokenAnswers => new()
    {
        "single-choice-only", "too-many-choices", "scale-out-of-range", "unknown-option", "answer-required", "matrix-row-missing", "text-too-long",
        "unknown-question",
    };

    [Theory]
    [MemberData(nameof(BrokenAnswers))]
    public async Task Answer_BreakingARule_Is422WithCodeAndNothingStored(string code)
    {
        var s = await CreateAsync(Survey(textLength: 20));
        var body = code switch
        {
            "single-choice-only" => Answers(s, single: [s.SingleOptions[0], s.SingleOptions[1]]),
            "too-many-choices" => Answers(s, multiple: [s.MultipleOptions[0], s.MultipleOptions[1], s.MultipleOptions[2]]),
            "scale-out-of-range" => Answers(s, scale: 6),
            "unknown-option" => Answers(s, single: [Guid.NewGuid()]),
            "answer-required" => new { answers = new object[] { new { questionId = s.Single, selected = new[] { s.SingleOptions[0] } } } },
            "matrix-row-missing" => Answers(s, matrix: new Dictionary<Guid, Guid> { [s.MatrixRows[0]] = s.MatrixColumns[0] }),
            "text-too-long" => Answers(s, text: new string('x', 21)),
            _ => Answers(s, extra: new { questionId = Guid.NewGuid(), value = 3 }),
        };
        var citizen = _factory.Citizen(out _);
        var response = await citizen.PostJson($"/surveys/{s.Id}/answers", body);
        var problem = await response.Json200(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errorCodes").EnumerateObject().Select(p => p.Value.GetString()).Should().Contain(code);
        problem.GetProperty("errors").EnumerateObject().SelectMany(p => p.Value.EnumerateArray()).Select(m => m.GetString())
            .Should().OnlyContain(m => m!.Contains("Frage") || m.Contains("Umfrage"), "German messages");
        (await StoredAsync(s.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Answer_ClosedSurvey_Is409AndNothingStored()
    {
        var s = await CreateAsync(Survey());
        await (await _factory.Staff().PostAsync($"/surveys/{s.Id}/close", null)).Json200();
        var problem = await (await _factory.Citizen(out _).PostJson($"/surveys/{s.Id}/answers", Answers(s))).Json200(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().Should().Be("survey-not-open");
        (await StoredAsync(s.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Answer_DraftSurvey_IsNotFoundForCitizens()
    {
        var s = await CreateAsync(Survey(), open: false);
        (await _factory.Citizen(out _).PostJson($"/surveys/{s.Id}/answers", Answers(s))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await StoredAsync(s.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Answer_NotEligible_Is403WithTheBallotsReason()
    {
        var s = await CreateAsync(Survey(eligibility: new { kind = "resident", district = "mitte" }));
        var problem = await (await _factory.Citizen(out _).PostJson($"/surveys/{s.Id}/answers", Answers(s))).Json200(HttpStatusCode.Forbidden);
        problem.GetProperty("code").GetString().Should().Be("residence-required");
        var elsewhere = _factory.ClientFor(Guid.NewGuid(), ["citizen"], verification: "resident", district: "nord");
        (await (await elsewhere.PostJson($"/surveys/{s.Id}/answers", Answers(s))).Json200(HttpStatusCode.Forbidden))
            .GetProperty("code").GetString().Should().Be("district-mismatch");
        var resident = _factory.ClientFor(Guid.NewGuid(), ["citizen"], verification: "resident", district: "mitte");
        await (await resident.PostJson($"/surveys/{s.Id}/answers", Answers(s))).Json200(HttpStatusCode.Created);
        (await _factory.QueryAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @id", new { id = s.Id })).Should().Be(1);
    }

    [Fact]
    public async Task Create_UnknownQuestionKindOrBrokenQuestion_Is422WithCodesAndNothingStored()
    {
        var processId = Guid.NewGuid();
        var staff = _factory.Staff();
        var response = await staff.PostJson("/surveys", new
        {
            processId,
            title = "Kaputt",
            anonymous = false,
            publicResults = false,
            questions = new object[]
            {
                new { kind = "ranking", text = "Gibt es nicht" },
                new { kind = "single", text = "Nur eine Option", options = new[] { "ja" } },
                new { kind = "multiple", text = "Zu viele", options = new[] { "a", "b" }, maxChoices = 3 },
                new { kind = "matrix", text = "Ohne Zeilen", options = new[] { "a", "b" } },
            },
        });
        var problem = await response.Json200(HttpStatusCode.UnprocessableEntity);
        var codes = problem.GetProperty("errorCodes");
        codes.GetProperty("questions[0]").GetString().Should().Be("unknown-question-kind");
        codes.GetProperty("questions[1]").GetString().Should().Be("options-count");
        codes.GetProperty("questions[2]").GetString().Should().Be("max-choices-invalid");
        codes.GetProperty("questions[3]").GetString().Should().Be("rows-count");
        (await _factory.QueryAsync<long>("SELECT count(*) FROM surveys WHERE process_id = @processId", new { processId })).Should().Be(0);
    }

    [Fact]
    public async Task Update_OpenSurvey_IsConflict()
    {
        var s = await CreateAsync(Survey());
        var problem = await (await _factory.Staff().PutAsync($"/surveys/{s.Id}", System.Net.Http.Json.JsonContent.Create(Survey(), options: Api.Json)))
            .Json200(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().Should().Be("not-draft");
    }

    [Fact]
    public async Task AnonymousSurvey_StoresNoAccountLinkInTheAnswerRows()
    {
        var s = await CreateAsync(Survey(anonymous: true));
        var citizen = _factory.Citizen(out var userId);
        await (await citizen.PostJson($"/surveys/{s.Id}/answers", Answers(s))).Json200(HttpStatusCode.Created);

        (await _factory.QueryAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @id AND account_id IS NULL", new { id = s.Id }))
            .Should().Be(1);
        (await _factory.QueryAsync<long>("SELECT count(*) FROM survey_answers WHERE survey_id = @id", new { id = s.Id })).Should().BeGreaterThan(0);
        var rows = await _factory.QueryAsync<string>("""
            SELECT coalesce(string_agg(r::text, '|'), '') FROM (
              SELECT row_to_json(x)::text AS r FROM survey_responses x WHERE survey_id = @id
              UNION ALL SELECT row_to_json(a)::text FROM survey_answers a WHERE survey_id = @id
              UNION ALL SELECT row_to_json(p)::text FROM survey_participants p WHERE survey_id = @id) t
            """, new { id = s.Id });
        rows.Should().NotContain(userId.ToString(), "neither the response nor its answers nor the participation name the account");
        // One answer per account still holds.
        (await (await citizen.PostJson($"/surveys/{s.Id}/answers", Answers(s))).Json200(HttpStatusCode.Conflict))
            .GetProperty("code").GetString().Should().Be("already-answered");
    }

    [Fact]
    public async Task Results_HiddenFromCitizensBeforeCloseAndWhenNotPublic_StaffAlwaysSeeThem()
    {
        var s = await CreateAsync(Survey(publicResults: true));
        var hidden = await CreateAsync(Survey(publicResults: false));
        var citizen = _factory.Citizen(out _);
        await (await citizen.PostJson($"/surveys/{s.Id}/answers", Answers(s, text: "Geheimer Hinweis"))).Json200(HttpStatusCode.Created);
        var staff = _factory.Staff();

        foreach (var reader in new[] { _factory.Anonymous(), citizen })
        {
            (await (await reader.GetAsync($"/surveys/{s.Id}/results")).Json200(HttpStatusCode.Forbidden)).GetProperty("code").GetString()
                .Should().Be("results-after-close");
        }
        var live = await (await staff.GetAsync($"/surveys/{s.Id}/results")).Json200();
        live.GetProperty("responses").GetInt64().Should().Be(1);
        live.GetProperty("questions")[3].GetProperty("scale").EnumerateArray().Select(v => v.GetInt64()).Should().Equal(0, 0, 0, 1, 0);

        await (await staff.PostAsync($"/surveys/{s.Id}/close", null)).Json200();
        await (await staff.PostAsync($"/surveys/{hidden.Id}/close", null)).Json200();
        var published = await (await _factory.Anonymous().GetAsync($"/surveys/{s.Id}/results")).Json200();
        published.GetProperty("questions")[0].GetProperty("options")[0].GetProperty("count").GetInt64().Should().Be(1);
        published.GetProperty("questions")[2].GetProperty("texts").ValueKind.Should().Be(JsonValueKind.Null, "free texts are for staff only");
        (await (await citizen.GetAsync($"/surveys/{hidden.Id}/results")).Json200(HttpStatusCode.Forbidden)).GetProperty("code").GetString()
            .Should().Be("results-not-public");
        (await staff.GetAsync($"/surveys/{hidden.Id}/results")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Export_NeutralisesFormulasAndHoldsNoAccountIds_XlsxOpensWithOpenXml()
    {
        var s = await CreateAsync(Survey());
        var ids = new List<Guid>();
        foreach (var text in new[] { "=cmd|' /C calc'!A0", "+49 Bänke", "Ganz normal" })
        {
            var citizen = _factory.Citizen(out var userId);
            ids.Add(userId);
            await (await citizen.PostJson($"/surveys/{s.Id}/answers", Answers(s, text: text))).Json200(HttpStatusCode.Created);
        }
        var staff = _factory.Staff();
        var csv = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/surveys/{s.Id}/export?format=csv"));
        var csvDe = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/surveys/{s.Id}/export?format=csv-de")).TrimStart('\uFEFF');
        var xlsx = await staff.GetByteArrayAsync($"/surveys/{s.Id}/export?format=xlsx");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(4);
        lines[0].Should().StartWith("number,1. Wie oft fahren Sie Rad?");
        csvDe.Split("\r\n")[0].Should().StartWith("Nr.;1. Wie oft fahren Sie Rad?;2. Was fehlt?");
        csv.Should().Contain("'=cmd").And.Contain("'+49 Bänke").And.NotContain(",=cmd").And.NotContain(",+49");
        csvDe.Should().Contain("'=cmd").And.NotContain(";=cmd");
        foreach (var id in ids)
        {
            csv.Should().NotContain(id.ToString());
            csvDe.Should().NotContain(id.ToString());
        }

        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(CellText).ToList()).ToList();
        rows.Should().HaveCount(4, "the header and one row per submission");
        rows[0][0].Should().Be("Nr.");
        rows[0].Should().Contain("2. Was fehlt?").And.Contain("5. Wie bewerten Sie … – Innenstadt");
        var texts = rows.Skip(1).SelectMany(r => r).ToList();
        texts.Should().Contain("'=cmd|' /C calc'!A0").And.Contain("'+49 Bänke").And.Contain("Ganz normal");
        texts.Should().NotContain(t => t.StartsWith('=') || t.StartsWith('+'));
        texts.Should().Contain("Radwege; Beleuchtung");
        rows.SelectMany(r => r).Should().NotContain(t => ids.Any(id => t.Contains(id.ToString())));
    }

    private static string CellText(Cell cell) => cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "";

    [Fact]
    public async Task Export_UnknownFormat_Is400()
    {
        var s = await CreateAsync(Survey());
        var problem = await (await _factory.Staff().GetAsync($"/surveys/{s.Id}/export?format=pdf")).Json200(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().Should().Be("unknown-format");
    }
}
