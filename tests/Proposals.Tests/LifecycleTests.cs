using System.Net;
using System.Text;
using System.Text.Json;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Api.Features.Taxonomy;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>The whole way of a process: set up → phases switch on time → idea only while allowed → answer → monitoring → report.</summary>
[Collection(ProposalsCollection.Name)]
public sealed class LifecycleTests(ProposalsFixture fixture)
{
    private readonly Mitreden.TestKit.ServiceFactory<Mitreden.Proposals.Api.Data.ProposalsDb> _factory = fixture.Factory;

    [Fact]
    public async Task Lifecycle_FromSetupToMonitoringReport_WorksAndAnnouncesEveryStep()
    {
        var staff = _factory.Staff();
        var citizenId = Guid.NewGuid();
        var citizen = _factory.ClientFor(citizenId, ["citizen"], name: "Erika Muster");
        var anonymous = _factory.Anonymous();
        await using var publishedProbe = await EventProbe<ProcessPublished>.StartAsync(_factory);
        await using var startedProbe = await EventProbe<PhaseStarted>.StartAsync(_factory);

        // Set up a draft: district, field of action, theme, two phases (workshop now, online participation in a few seconds).
        var city = Api.Unique("Lebensstadt");
        (await staff.PostJson("/districts", new { city, slug = "mitte", name = "Mitte" })).StatusCode.Should().Be(HttpStatusCode.Created);
        var process = await (await staff.PostJson("/processes", new
        {
            title = "Zukunft 2040", description = "Strategieprozess", city, startsOn = "2026-01-01", endsOn = "2027-12-31",
        })).Read<ProcessResponse>(HttpStatusCode.Created);
        process.Status.Should().Be(ProcessStatus.Draft);
        process.ItemStatuses.Select(s => s.Key).Should().Equal("neu", "in-pruefung", "angenommen", "abgelehnt", "umgesetzt");
        var field = await (await staff.PostJson($"/processes/{process.Id}/fields-of-action", new { title = "Mobilität" }))
            .Read<TopicResponse>(HttpStatusCode.Created);
        (await staff.PostJson($"/processes/{process.Id}/themes", new { title = "Digitalisierung" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await anonymous.GetAsync($"/processes/{process.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "drafts are staff-only");

        var switchAt = DateTimeOffset.UtcNow.AddSeconds(4);
        var workshop = await (await staff.PostJson($"/processes/{process.Id}/phases", new
        {
            title = "Workshop", kind = "workshop", startsAt = switchAt.AddHours(-2), endsAt = switchAt,
            switches = new { proposing = false, commenting = true, preModeration = false, voting = false, resultsVisible = false },
        })).Read<PhaseResponse>(HttpStatusCode.Created);
        var online = await (await staff.PostJson($"/processes/{process.Id}/phases", new
        {
            title = "Online-Beteiligung", kind = "online-participation", startsAt = switchAt, endsAt = switchAt.AddDays(30),
            switches = new { proposing = true, commenting = true, preModeration = false, voting = true, resultsVisible = false },
        })).Read<PhaseResponse>(HttpStatusCode.Created);
        online.Position.Should().Be(2);

        // Publish: ProcessPublished and PhaseStarted for the workshop that is already running, received over the broker.
        var published = await (await staff.PostAsync($"/processes/{process.Id}/publish", null)).Read<ProcessResponse>();
        published.Status.Should().Be(ProcessStatus.Published);
        published.CurrentPhase!.Id.Should().Be(workshop.Id);
        (await staff.PostAsync($"/processes/{process.Id}/publish", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await Eventually.AssertAsync(() =>
        {
            publishedProbe.Received.Should().ContainSingle(e => e.ProcessId == process.Id);
            startedProbe.Received.Should().ContainSingle(e => e.PhaseId == workshop.Id && e.Switches.Commenting && !e.Switches.Proposing);
            return Task.CompletedTask;
        });

        // Proposing is off in the workshop: a citizen idea is refused with a clear reason.
        var refused = await (await citizen.PostJson($"/processes/{process.Id}/items", new { title = "Mehr Radwege", description = "Bitte!" }))
            .Problem(HttpStatusCode.Conflict);
        refused.GetProperty("detail").GetString().Should().Contain("Workshop").And.Contain("does not accept citizen ideas");

        // On time, the clock ends the workshop and starts the online phase, each announced once.
        await Eventually.AssertAsync(async () =>
        {
            (await _factory.OutboxAsync<PhaseEnded>(e => e.PhaseId == workshop.Id)).Should().ContainSingle();
            (await _factory.OutboxAsync<PhaseStarted>(e => e.PhaseId == online.Id)).Should().ContainSingle();
        }, TimeSpan.FromSeconds(20));
        var ended = (await _factory.OutboxAsync<PhaseEnded>(e => e.PhaseId == workshop.Id)).Single().Message;
        ended.EndedAt.Should().BeOnOrAfter(switchAt).And.BeCloseTo(switchAt, TimeSpan.FromSeconds(3));
        await Eventually.AssertAsync(() =>
        {
            startedProbe.Received.Should().ContainSingle(e => e.PhaseId == online.Id && e.Switches.Proposing && e.Switches.Voting);
            return Task.CompletedTask;
        });

        // Now the citizen may propose; the idea is published at once.
        var idea = await citizen.CreateItemAsync(process.Id, new
        {
            title = "Mehr Radwege", description = "Sichere Radwege zur Schule.", fieldOfActionIds = new[] { field.Id }, district = "mitte",
        });
        idea.Kind.Should().Be(ItemKinds.CitizenIdea);
        idea.Official.Should().BeFalse();
        idea.IsOwn.Should().BeTrue();
        idea.AuthorName.Should().Be("Erika Muster");
        idea.Status.Should().Be("neu");
        (await _factory.OutboxAsync<ItemPublished>(e => e.ItemId == idea.Id)).Should().ContainSingle()
            .Which.Message.Should().Match<ItemPublished>(e => e.AuthorId == citizenId && e.District == "mitte" && !e.Official);

        // The author edits it; someone else may not.
        (await citizen.PutJson($"/items/{idea.Id}", new { title = "Mehr sichere Radwege", description = "Zur Schule.", district = "mitte" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.OutboxAsync<ItemUpdated>(e => e.ItemId == idea.Id)).Should().ContainSingle().Which.Message.Title.Should().Be("Mehr sichere Radwege");
        (await _factory.Citizen(out _).PutJson($"/items/{idea.Id}", new { title = "Gekapert", description = "" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // Staff answer it: public answer for everyone, internal note for staff only; the author can no longer edit.
        var answered = await (await staff.PutJson($"/items/{idea.Id}/status", new
        {
            status = "angenommen", publicAnswer = "Wird in das Radverkehrskonzept übernommen.", internalNote = "Kosten mit Tiefbau klären",
        })).Read<ItemResponse>();
        answered.StatusLabel.Should().Be("Angenommen");
        answered.InternalNote.Should().Be("Kosten mit Tiefbau klären");
        (await _factory.OutboxAsync<ItemStatusChanged>(e => e.ItemId == idea.Id)).Should().ContainSingle()
            .Which.Message.Should().Match<ItemStatusChanged>(e => e.Status == "angenommen" && e.PublicAnswer!.StartsWith("Wird"));
        foreach (var reader in new[] { citizen, anonymous })
        {
            var raw = await (await reader.GetAsync($"/items/{idea.Id}")).Content.ReadAsStringAsync();
            raw.Should().Contain("Radverkehrskonzept").And.NotContain("Tiefbau").And.NotContain("internalNote").And.NotContain(citizenId.ToString());
        }
        (await staff.PutJson($"/items/{idea.Id}/status", new { status = "erledigt" })).StatusCode.Should().Be((HttpStatusCode)422);
        var locked = await (await citizen.PutJson($"/items/{idea.Id}", new { title = "Noch mal", description = "" })).Problem(HttpStatusCode.Conflict);
        locked.GetProperty("detail").GetString().Should().Contain("answered");

        // A measure is monitored after the process; the update is announced and public.
        var measure = await staff.CreateItemAsync(process.Id, new
        {
            kind = "measure", title = "Radweg Schulstraße", description = "Neubau", fieldOfActionIds = new[] { field.Id },
            priority = "high", costEstimate = 250000.50m,
        });
        (await staff.PutJson($"/items/{idea.Id}/monitoring", new { status = "in-progress", progressPercent = 10 }))
            .StatusCode.Should().Be((HttpStatusCode)422, "only measures are monitored");
        (await staff.PutJson($"/items/{measure.Id}/monitoring", new { status = "in-progress", progressPercent = 101 }))
            .StatusCode.Should().Be((HttpStatusCode)422);
        var monitored = await (await staff.PutJson($"/items/{measure.Id}/monitoring", new
        {
            status = "in-progress", progressPercent = 40, responsibleOffice = "Tiefbauamt", note = "Ausschreibung läuft",
            milestones = new object[]
            {
                new { title = "Planung", dueOn = $"{DateTime.UtcNow.Year}-03-31", doneOn = $"{DateTime.UtcNow.Year}-03-15" },
                new { title = "Bau", dueOn = $"{DateTime.UtcNow.Year}-12-31" },
            },
        })).Read<ItemResponse>();
        monitored.Monitoring!.ProgressPercent.Should().Be(40);
        monitored.Monitoring.Milestones.Should().HaveCount(2);
        (await _factory.OutboxAsync<MeasureProgressUpdated>(e => e.ItemId == measure.Id)).Should().ContainSingle()
            .Which.Message.Should().Match<MeasureProgressUpdated>(e => e.Status == "in-progress" && e.ProgressPercent == 40);

        var overview = await (await anonymous.GetAsync($"/processes/{process.Id}/monitoring")).Read<MonitoringOverview>();
        overview.Measures.Should().Be(1);
        overview.ByStatus.Should().Contain("in-progress", 1);
        overview.Items.Single().Monitoring.ResponsibleOffice.Should().Be("Tiefbauamt");

        // The yearly report: CSV for German Excel, XLSX, PDF and JSON.
        var year = DateTime.UtcNow.Year;
        overview.ReportYears.Should().StartWith(year);
        var csvResponse = await anonymous.GetAsync($"/processes/{process.Id}/monitoring/report?year={year}&format=csv-de");
        csvResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        csvResponse.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var bytes = await csvResponse.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("Maßnahme;Handlungsfelder;Priorität;Zuständigkeit;");
        lines.Should().HaveCount(2);
        lines[1].Should().StartWith("Radweg Schulstraße;Mobilität;hoch;Tiefbauamt;in Umsetzung;40;0;40;2;1;");
        lines[1].Should().Contain("Ausschreibung läuft");
        var report = await (await anonymous.GetAsync($"/processes/{process.Id}/monitoring/report?year={year}&format=json"))
            .Read<MonitoringReportDocument>();
        report.Summary.Measures.Should().Be(1);
        report.Summary.MilestonesDue.Should().Be(2);
        report.Measures.Single().ProgressPercent.Should().Be(40);
        var earlier = await (await anonymous.GetAsync($"/processes/{process.Id}/monitoring/report?year={year - 1}&format=json"))
            .Read<MonitoringReportDocument>();
        earlier.Measures.Should().BeEmpty("the measure did not exist yet");
        var pdf = await anonymous.GetAsync($"/processes/{process.Id}/monitoring/report?year={year}&format=pdf");
        pdf.StatusCode.Should().Be(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        pdf.Content.Headers.ContentDisposition!.FileNameStar.Should().EndWith($"-{year}.pdf");
        Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(), 0, 5).Should().Be("%PDF-");
        var xlsx = await anonymous.GetAsync($"/processes/{process.Id}/monitoring/report?year={year}&format=xlsx");
        xlsx.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using (var zip = new System.IO.Compression.ZipArchive(await xlsx.Content.ReadAsStreamAsync()))
        {
            using var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
            (await sheet.ReadToEndAsync()).Should().Contain("Radweg Schulstraße").And.Contain("Tiefbauamt");
        }
        (await anonymous.GetAsync($"/processes/{process.Id}/monitoring/report?year={year}&format=docx")).StatusCode.Should().Be((HttpStatusCode)422);
        (await anonymous.GetAsync($"/processes/{process.Id}/monitoring/report?year={year + 1}")).StatusCode.Should().Be((HttpStatusCode)422,
            "a report of a year that has not begun does not exist");

        // Every event of this process reached the broker.
        await _factory.AssertDispatchedAsync<ItemPublished>(e => e.ProcessId == process.Id, 2);
        await _factory.AssertDispatchedAsync<PhaseStarted>(e => e.ProcessId == process.Id, 2);
        await _factory.AssertDispatchedAsync<PhaseEnded>(e => e.ProcessId == process.Id, 1);
        await _factory.AssertDispatchedAsync<ItemStatusChanged>(e => e.ProcessId == process.Id, 1);
        await _factory.AssertDispatchedAsync<MeasureProgressUpdated>(e => e.ProcessId == process.Id, 1);

        // Archiving freezes it.
        (await staff.PostAsync($"/processes/{process.Id}/archive", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.OutboxAsync<PhaseEnded>(e => e.PhaseId == online.Id)).Should().ContainSingle("the running phase ends with the process");
        (await citizen.PostJson($"/processes/{process.Id}/items", new { title = "Zu spät", description = "" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await anonymous.GetAsync($"/processes/{process.Id}")).StatusCode.Should().Be(HttpStatusCode.OK, "archived processes stay readable");
    }

    [Fact]
    public async Task ItemStatusChanged_OnlyInternalNoteChanged_IsNotAnnounced()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var item = await staff.CreateItemAsync(process.Id, new { kind = "measure", title = "Maßnahme", description = "" });
        (await staff.PutJson($"/items/{item.Id}/status", new { status = "neu", internalNote = "nur intern" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.OutboxAsync<ItemStatusChanged>(e => e.ItemId == item.Id)).Should().BeEmpty();
        (await staff.PutJson($"/items/{item.Id}/status", new { status = "in-pruefung" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _factory.OutboxAsync<ItemStatusChanged>(e => e.ItemId == item.Id)).Should().ContainSingle();
    }

    [Fact]
    public async Task CreateItem_CitizenAsksForOfficialKindOrPriority_Forbidden()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var citizen = _factory.Citizen(out _);
        (await citizen.PostJson($"/processes/{process.Id}/items", new { kind = "measure", title = "X", description = "" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await citizen.PostJson($"/processes/{process.Id}/items", new { title = "X", description = "", priority = "high" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateItem_UnknownReferences_Returns422PerField()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var problem = await (await _factory.Staff().PostJson($"/processes/{process.Id}/items", new
        {
            kind = "measure", title = "", description = "", fieldOfActionIds = new[] { Guid.NewGuid() }, district = "atlantis",
            parentId = Guid.NewGuid(), costEstimate = -1,
        })).Problem((HttpStatusCode)422);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "title", "fieldOfActionIds", "district", "parentId", "costEstimate" })
        {
            errors.TryGetProperty(field, out _).Should().BeTrue(field);
        }
    }

    [Fact]
    public async Task CreateProcess_UnknownJsonField_Returns400()
    {
        var response = await _factory.Staff().PostJson("/processes", new { title = "T", description = "", city = "C", colour = "blue" });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UpdateProcess_RemovingStatusInUse_Conflict()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        await staff.CreateItemAsync(process.Id, new { kind = "measure", title = "M", description = "" });
        var response = await staff.PutJson($"/processes/{process.Id}", new
        {
            title = "Neu", description = "", city = process.City, itemStatuses = new[] { new { key = "offen", label = "Offen" } },
        });
        (await response.Problem(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("neu");
        var renamed = await (await staff.PutJson($"/processes/{process.Id}", new
        {
            title = "Neu", description = "", city = process.City,
            itemStatuses = new[] { new { key = "neu", label = "Eingegangen" }, new { key = "erledigt", label = "Erledigt" } },
        })).Read<ProcessResponse>();
        renamed.ItemStatuses.Select(s => s.Label).Should().Equal("Eingegangen", "Erledigt");
    }
}
