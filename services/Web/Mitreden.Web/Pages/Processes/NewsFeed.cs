using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.Extensions.Localization;
using Mitreden.Web.Api;

namespace Mitreden.Web.Pages.Processes;

/// <summary>
/// The news of a process as an Atom feed (RFC 4287), for feed readers and the city's own site. Links point at the
/// web pages under the address the visitor used (forwarded by the gateway).
/// </summary>
public static class NewsFeed
{
    public const int Entries = 20;

    public static IEndpointRouteBuilder MapNewsFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/prozesse/{id:guid}/neuigkeiten.atom", WriteAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> WriteAsync(Guid id, HttpContext http, ProposalsApi proposals, IStringLocalizer<SharedResource> text,
        CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        var news = process.Ok ? await proposals.NewsAsync(id, 1, Entries, ct) : null;
        if (!process.Ok || news is not { Ok: true })
        {
            return Results.StatusCode((process.Ok ? news!.Status : process.Status) == 404 ? 404 : 400);
        }
        var p = process.Value!;
        var posts = news.Value!.Posts;
        var origin = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var page = $"{origin}/prozesse/{id}/neuigkeiten";
        var updated = posts.Select(n => n.UpdatedAt ?? n.PublishedAt).DefaultIfEmpty(p.PublishedAt ?? p.UpdatedAt).Max();

        using var output = new MemoryStream();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            const string atom = "http://www.w3.org/2005/Atom";
            xml.WriteStartElement("feed", atom);
            xml.WriteAttributeString("xml", "lang", null, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);
            xml.WriteElementString("id", atom, $"urn:uuid:{id}");
            xml.WriteElementString("title", atom, text["News_FeedTitle", p.Title]);
            xml.WriteElementString("updated", atom, Timestamp(updated));
            Link(xml, atom, "self", $"{page}.atom", "application/atom+xml");
            Link(xml, atom, "alternate", page, "text/html");
            xml.WriteStartElement("author", atom);
            xml.WriteElementString("name", atom, p.City);
            xml.WriteEndElement();
            foreach (var post in posts)
            {
                xml.WriteStartElement("entry", atom);
                xml.WriteElementString("id", atom, $"urn:uuid:{post.Id}");
                xml.WriteElementString("title", atom, post.Title);
                Link(xml, atom, "alternate", $"{page}#news-{post.Id}", "text/html");
                xml.WriteElementString("published", atom, Timestamp(post.PublishedAt));
                xml.WriteElementString("updated", atom, Timestamp(post.UpdatedAt ?? post.PublishedAt));
                xml.WriteStartElement("content", atom);
                xml.WriteAttributeString("type", "html");
                xml.WriteString(post.Html);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return Results.Bytes(output.ToArray(), "application/atom+xml; charset=utf-8");
    }

    private static void Link(XmlWriter xml, string ns, string rel, string href, string type)
    {
        xml.WriteStartElement("link", ns);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Timestamp(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
