namespace Mitreden.Proposals.Contracts;

/// <summary>
/// News of a process ("Neuigkeiten", "aktueller Sachstand"): staff write Markdown, Proposals keeps it with its
/// sanitised HTML. These records are the HTTP contract; the web uses them as they are.
/// </summary>
public static class NewsLimits
{
    public const int TitleMax = 200;
    public const int BodyMax = 20_000;
    public const int PageSizeMax = 50;
}

/// <summary>A post to write or change. <paramref name="Body"/> is Markdown; raw HTML in it is shown as text.</summary>
public sealed record NewsPostRequest(string Title, string Body);

/// <param name="Html">The body rendered from Markdown and sanitised; safe to embed as it is.</param>
public sealed record NewsPost(Guid Id, Guid ProcessId, string Title, string Body, string Html, DateTimeOffset PublishedAt,
    DateTimeOffset? UpdatedAt);

/// <summary>Newest first; <paramref name="Total"/> counts all posts of the process.</summary>
public sealed record NewsPage(IReadOnlyList<NewsPost> Posts, int Page, int PageSize, int Total);

/// <summary>Staff published a post (followers may be told; the text stays in Proposals).</summary>
public record NewsPostPublished(Guid ProcessId, Guid PostId, string Title, DateTimeOffset PublishedAt);
