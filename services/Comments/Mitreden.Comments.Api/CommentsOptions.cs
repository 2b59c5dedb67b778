namespace Mitreden.Comments.Api;

/// <summary>Configuration section "Comments".</summary>
public sealed class CommentsOptions
{
    public const string Section = "Comments";

    /// <summary>How long after posting the author may still edit (Comments:EditWindow, default 15 minutes).</summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Replies shown under each top-level comment in a thread listing; the rest via /comments/{id}/replies.</summary>
    public int RepliesPreview { get; set; } = 20;

    public int DefaultPageSize { get; set; } = 20;
    public const int MaxPageSize = 100;
}
