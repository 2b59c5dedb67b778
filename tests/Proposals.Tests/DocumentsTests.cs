using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

[Collection(ProposalsCollection.Name)]
public sealed class DocumentsTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    public static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }
        return buffer.ToArray();
    }

    public static MultipartFormDataContent Upload(byte[] bytes, string fileName, string? title = null, Guid? phaseId = null, Guid? itemId = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        // What the browser claims does not count: the bytes decide.
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }
        if (phaseId is not null)
        {
            form.Add(new StringContent(phaseId.ToString()!), "phaseId");
        }
        if (itemId is not null)
        {
            form.Add(new StringContent(itemId.ToString()!), "itemId");
        }
        return form;
    }

    [Fact]
    public async Task StaffUploadPdf_EveryoneListsAndDownloadsIt_AsAnAttachmentThatCannotRun()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var created = await (await staff.PostAsync($"/processes/{process.Id}/documents",
            Upload(Pdf, "Protokoll Zukunftswerkstatt.pdf", "Protokoll der Zukunftswerkstatt", phaseId: process.CurrentPhase!.Id)))
            .Read<ProcessDocument>(HttpStatusCode.Created);
        created.Kind.Should().Be("pdf");
        created.ContentType.Should().Be("application/pdf");
        created.Size.Should().Be(Pdf.Length);
        created.PhaseId.Should().Be(process.CurrentPhase.Id);

        var list = await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/documents")).Read<List<ProcessDocument>>();
        list.Should().ContainSingle().Which.Title.Should().Be("Protokoll der Zukunftswerkstatt");
        (await (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/documents?phaseId={Guid.NewGuid()}")).Read<List<ProcessDocument>>())
            .Should().BeEmpty();

        using var download = await _factory.Anonymous().GetAsync($"/processes/{process.Id}/documents/{created.Id}/content");
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal(Pdf);
        download.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        download.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        download.Content.Headers.ContentDisposition.FileNameStar.Should().Be("Protokoll Zukunftswerkstatt.pdf");
        download.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        download.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("sandbox");
    }

    [Theory]
    [InlineData("bericht.docx", "docx")]
    [InlineData("tabelle.xlsx", "xlsx")]
    [InlineData("text.odt", "odt")]
    public async Task OfficeDocuments_AreRecognisedByWhatIsInside(string fileName, string kind)
    {
        var bytes = kind switch
        {
            "docx" => Zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")),
            "xlsx" => Zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")),
            _ => Zip(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>")),
        };
        var process = await _factory.CreatePublishedProcessAsync();
        var created = await (await _factory.Staff().PostAsync($"/processes/{process.Id}/documents", Upload(bytes, fileName)))
            .Read<ProcessDocument>(HttpStatusCode.Created);
        created.Kind.Should().Be(kind);
        created.Title.Should().Be(Path.GetFileNameWithoutExtension(fileName), "without a title the file's name is the title");
    }

    public static TheoryData<string, byte[], string, string> Refused => new()
    {
        { "PNG named .pdf", Png, "plan.pdf", "PNG-Bild" },
        { "HTML named .pdf", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "bericht.pdf", "nicht angenommen" },
        { "Word with macros", Zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>"), ("word/vbaProject.bin", "x")), "makro.docx", "Makros" },
        { "old Word", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], "alt.doc", "Alte Office-Formate" },
        { "plain ZIP", Zip(("a.txt", "a")), "archiv.zip", "ZIP-Archive" },
        { "broken ZIP", [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], "kaputt.docx", "beschädigt" },
        { "empty file", [], "leer.pdf", "nicht leer" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Upload_ContentThatIsNotWhatItClaims_IsRefusedWithAGermanReasonAndNothingIsStored(string _, byte[] bytes, string fileName,
        string reason)
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var problem = await (await _factory.Staff().PostAsync($"/processes/{process.Id}/documents", Upload(bytes, fileName)))
            .Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("errors").GetProperty("file")[0].GetString().Should().Contain(reason);
        await using var scope = _factory.Scope();
        (await scope.ServiceProvider.GetRequiredService<ProposalsDb>().Documents.CountAsync(d => d.ProcessId == process.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Upload_BadRequests_AnswerWithTheRightStatus()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var other = await _factory.CreatePublishedProcessAsync();
        var url = $"/processes/{process.Id}/documents";
        var staff = _factory.Staff();

        (await _factory.Anonymous().PostAsync(url, Upload(Pdf, "a.pdf"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _factory.Citizen(out _).PostAsync(url, Upload(Pdf, "a.pdf"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staff.PostAsync(url, new StringContent("%PDF-1.4", Encoding.ASCII, "application/pdf"))).StatusCode
            .Should().Be(HttpStatusCode.UnsupportedMediaType);
        var foreignPhase = await (await staff.PostAsync(url, Upload(Pdf, "a.pdf", phaseId: other.CurrentPhase!.Id))).Problem(HttpStatusCode.UnprocessableEntity);
        foreignPhase.GetProperty("errors").TryGetProperty("phaseId", out _).Should().BeTrue();
        (await staff.PostAsync($"/processes/{Guid.NewGuid()}/documents", Upload(Pdf, "a.pdf"))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var huge = new byte[DocumentLimits.MaxBytes + 1];
        Pdf.CopyTo(huge, 0);
        (await staff.PostAsync(url, Upload(huge, "gross.pdf"))).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await (await _factory.Anonymous().GetAsync(url)).Read<List<ProcessDocument>>()).Should().BeEmpty("nothing of the refused uploads was stored");
    }

    [Fact]
    public async Task DraftAndArchivedProcesses_GuardTheirDocuments()
    {
        var staff = _factory.Staff();
        var draft = await (await staff.PostJson("/processes", new { title = Api.Unique("Entwurf"), description = "d", city = "Teststadt" }))
            .Read<ProcessResponse>(HttpStatusCode.Created);
        var inDraft = await (await staff.PostAsync($"/processes/{draft.Id}/documents", Upload(Pdf, "intern.pdf"))).Read<ProcessDocument>(HttpStatusCode.Created);
        (await _factory.Anonymous().GetAsync($"/processes/{draft.Id}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _factory.Citizen(out _).GetAsync($"/processes/{draft.Id}/documents/{inDraft.Id}/content")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var process = await _factory.CreatePublishedProcessAsync();
        var kept = await (await staff.PostAsync($"/processes/{process.Id}/documents", Upload(Pdf, "bleibt.pdf"))).Read<ProcessDocument>(HttpStatusCode.Created);
        var doomed = await (await staff.PostAsync($"/processes/{process.Id}/documents", Upload(Png, "weg.png"))).Read<ProcessDocument>(HttpStatusCode.Created);
        (await staff.DeleteAsync($"/processes/{process.Id}/documents/{doomed.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/documents/{doomed.Id}/content")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await using (var scope = _factory.Scope())
        {
            (await scope.ServiceProvider.GetRequiredService<ProposalsDb>().DocumentContents.AnyAsync(c => c.DocumentId == doomed.Id))
                .Should().BeFalse("the bytes go with the description");
        }

        (await staff.PostAsync($"/processes/{process.Id}/archive", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.PostAsync($"/processes/{process.Id}/documents", Upload(Pdf, "neu.pdf"))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await staff.DeleteAsync($"/processes/{process.Id}/documents/{kept.Id}")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await _factory.Anonymous().GetAsync($"/processes/{process.Id}/documents/{kept.Id}/content")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
