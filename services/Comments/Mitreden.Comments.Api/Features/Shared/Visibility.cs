using Mitreden.Comments.Api.Data;

namespace Mitreden.Comments.Api.Features.Shared;

internal static class Visibility
{
    /// <summary>
    /// Comments the viewer may see at all: everything ever published (hidden ones as placeholders) plus the
    /// viewer's own unpublished ones. Built without a null comparison so an anonymous viewer can never match a
    /// comment whose author link was removed.
    /// </summary>
    public static IQueryable<Comment> VisibleTo(this IQueryable<Comment> comments, Guid? viewer) =>
        viewer is { } me
            ? comments.Where(c => c.PublishedAt != null || c.AuthorId == me)
            : comments.Where(c => c.PublishedAt != null);

    public static bool IsVisibleTo(this Comment c, Guid? viewer) =>
        c.PublishedAt is not null || (viewer is { } me && c.AuthorId == me);
}
