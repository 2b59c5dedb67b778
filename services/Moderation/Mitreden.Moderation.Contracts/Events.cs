namespace Mitreden.Moderation.Contracts;

public static class Decisions
{
    public const string Approve = "approve";
    public const string Hide = "hide";
    public const string Restore = "restore";
    /// <summary>Hidden automatically after too many reports or by a screening rule, until a moderator decides.</summary>
    public const string HoldForReview = "hold-for-review";
}

public static class HideReasons
{
    public const string Insult = "insult";
    public const string Spam = "spam";
    public const string OffTopic = "off-topic";
    public const string PersonalData = "personal-data";
    public const string Advertising = "advertising";
    public const string Illegal = "illegal";
    public const string Other = "other";
    public static readonly IReadOnlyList<string> All = [Insult, Spam, OffTopic, PersonalData, Advertising, Illegal, Other];
}

/// <param name="NoteToAuthor">Shown to the author together with the reason code.</param>
/// <param name="ModeratorId">Null for automatic decisions.</param>
/// <param name="AuthorId">The comment's author (Identity mails them the decision); null for a deleted author and older events.</param>
public record CommentModerated(Guid DecisionId, Guid CommentId, string Decision, string? Reason, string? NoteToAuthor,
    Guid? ModeratorId, DateTimeOffset DecidedAt, Guid? AuthorId = null);
