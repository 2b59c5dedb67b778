using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;

namespace Mitreden.Proposals.Api.Features.News;

/// <summary>
/// Turns Markdown staff write (news posts, event descriptions and minutes) into HTML that is safe to put into a page
/// as it is: raw HTML in the Markdown is shown as text, the post's top headings become level 3 whatever level staff typed (the page has its h1, the post's title is
/// an h2) and the levels below follow, links may only go to http(s) and
/// mail addresses and carry rel="nofollow noopener noreferrer", and images are not allowed — a picture from another
/// server would tell that server who reads the city's news.
/// </summary>
public sealed class NewsMarkdown
{
    private const int TopHeadingLevel = 3;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UsePipeTables()
        .UseEmphasisExtras()
        .Build();

    private readonly HtmlSanitizer _sanitizer;

    public NewsMarkdown()
    {
        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "hr", "strong", "em", "del", "ins", "sub", "sup", "mark", "code", "pre", "blockquote",
                "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "title", "start", "align" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        });
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
            }
        };
    }

    public string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var headings = document.Descendants<HeadingBlock>().ToList();
        if (headings.Count > 0)
        {
            var shift = TopHeadingLevel - headings.Min(h => h.Level);
            foreach (var heading in headings)
            {
                heading.Level = Math.Clamp(heading.Level + shift, TopHeadingLevel, 6);
            }
        }
        return _sanitizer.Sanitize(document.ToHtml(Pipeline)).Trim();
    }
}
