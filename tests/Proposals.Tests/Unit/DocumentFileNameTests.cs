using Mitreden.Proposals.Api.Features.Documents;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Proposals.Tests.Unit;

public sealed class DocumentFileNameTests
{
    [Theory]
    [InlineData("C:\\Users\\amt\\Protokoll.pdf", "Protokoll.pdf")]
    [InlineData("../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("  Bericht 2025.docx ", "Bericht 2025.docx")]
    public void CleanFileName_KeepsOnlyTheName(string given, string expected) =>
        DocumentsApi.CleanFileName(given).Should().Be(expected);

    [Fact]
    public void CleanFileName_TooLong_IsCutKeepingTheExtension()
    {
        var name = DocumentsApi.CleanFileName(new string('a', 500) + ".pdf");
        name.Length.Should().Be(DocumentLimits.FileNameMax);
        name.Should().EndWith(".pdf");
    }

    [Fact]
    public void Detect_EveryTypeHasOneContentTypeAndAtLeastOneExtension()
    {
        DocumentTypes.All.Select(t => t.Kind).Should().OnlyHaveUniqueItems();
        DocumentTypes.All.Should().OnlyContain(t => t.Extensions.Length > 0 && t.Extensions.All(e => e.StartsWith('.')));
        DocumentTypes.Detect(DocumentsTests.Pdf).Type.Should().Be(DocumentTypes.Pdf);
        DocumentTypes.Detect([0xFF, 0xD8, 0xFF, 0xE0]).Type.Should().Be(DocumentTypes.Jpeg);
        DocumentTypes.Detect(DocumentsTests.Zip(("mimetype", "application/vnd.oasis.opendocument.presentation"))).Type.Should().Be(DocumentTypes.Odp);
        DocumentTypes.Detect(DocumentsTests.Zip(("mimetype", "application/x-something"))).Type.Should().BeNull();
    }
}
