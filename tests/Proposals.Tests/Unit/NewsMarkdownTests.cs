using AngleSharp.Html.Parser;
using Mitreden.Proposals.Api.Features.News;

namespace Mitreden.Proposals.Tests.Unit;

public sealed class NewsMarkdownTests
{
    private readonly NewsMarkdown _markdown = new();

    [Theory]
    [InlineData("# Eins\n\n## Zwei", "<h3>Eins</h3>\n<h4>Zwei</h4>")]
    [InlineData("## Eins\n\n### Zwei", "<h3>Eins</h3>\n<h4>Zwei</h4>")]
    [InlineData("###### Sechs", "<h3>Sechs</h3>")]
    [InlineData("# Eins\n\n###### Sechs", "<h3>Eins</h3>\n<h6>Sechs</h6>")]
    public void ToHtml_Headings_TopOnesBecomeLevelThreeBelowThePostTitle(string markdown, string expected) =>
        _markdown.ToHtml(markdown).Should().Be(expected);

    [Theory]
    [InlineData("<iframe src=\"https://example.org\"></iframe>")]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>")]
    [InlineData("![x](https://example.org/a.png)")]
    public void ToHtml_ActiveOrTrackingContent_IsNotRendered(string markdown)
    {
        // Read as a browser would: text that merely shows the markup is harmless, elements and attributes are not.
        var document = new HtmlParser().ParseDocument("<body>" + _markdown.ToHtml(markdown) + "</body>");
        var elements = document.Body!.QuerySelectorAll("*");
        elements.Select(e => e.LocalName).Should().NotContain(["iframe", "img", "script"]);
        elements.SelectMany(e => e.Attributes).Should().NotContain(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        elements.Where(e => e.HasAttribute("href")).Select(e => e.GetAttribute("href")!)
            .Should().NotContain(href => !href.StartsWith("https:", StringComparison.Ordinal));
    }

    [Fact]
    public void ToHtml_TablesLinksAndEmphasis_Survive()
    {
        var html = _markdown.ToHtml("| a | b |\n|---|---|\n| 1 | 2 |\n\nSiehe https://mitreden.example/bericht und ~~alt~~.");
        html.Should().Contain("<table>").And.Contain("<td>1</td>");
        html.Should().Contain("<a href=\"https://mitreden.example/bericht\" rel=\"nofollow noopener noreferrer\">");
        html.Should().Contain("<del>alt</del>");
    }
}
